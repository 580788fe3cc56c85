/*
 * Baseline for bench/quality.py: Lucene 8's FrenchAnalyzer (what Elasticsearch's `french`
 * analyzer runs) with BM25 (k1 1.2, b 0.75) over two fields, title and body.
 *
 *   java -cp lucene-core.jar:lucene-analyzers-common.jar:. FrenchBaseline DOCS QUERIES DEPTH
 *
 * DOCS: one document a line, "id<TAB>title<TAB>body" (no tab or line break inside a value).
 * QUERIES: one query a line, "id<TAB>text". Prints "query id<TAB>document id" lines, best first,
 * at most DEPTH per query. A query is its analysed terms ORed over title and body: one match
 * query per field (Lucene's QueryBuilder), both in a bool query, so the fields' scores add up.
 */
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.QueryBuilder;

public final class FrenchBaseline {
    private static final String[] FIELDS = {"title", "body"};

    public static void main(String[] args) throws IOException {
        Analyzer analyzer = new FrenchAnalyzer();
        Directory directory = new ByteBuffersDirectory();
        index(analyzer, directory, args[0]);
        BooleanQuery.setMaxClauseCount(Integer.MAX_VALUE);
        int depth = Integer.parseInt(args[2]);
        try (DirectoryReader reader = DirectoryReader.open(directory);
                BufferedReader queries = Files.newBufferedReader(Paths.get(args[1]), StandardCharsets.UTF_8);
                PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8)) {
            IndexSearcher searcher = new IndexSearcher(reader);  // BM25Similarity by default
            QueryBuilder builder = new QueryBuilder(analyzer);
            for (String line; (line = queries.readLine()) != null; ) {
                String[] parts = line.split("\t", 2);
                Query query = query(builder, parts.length > 1 ? parts[1] : "");
                if (query == null) {
                    continue;  // nothing left after analysis: no hits
                }
                for (ScoreDoc hit : searcher.search(query, depth).scoreDocs) {
                    out.println(parts[0] + "\t" + searcher.doc(hit.doc).get("id"));
                }
            }
        }
    }

    private static void index(Analyzer analyzer, Directory directory, String path) throws IOException {
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
                BufferedReader docs = Files.newBufferedReader(Paths.get(path), StandardCharsets.UTF_8)) {
            for (String line; (line = docs.readLine()) != null; ) {
                String[] parts = line.split("\t", 3);
                Document doc = new Document();
                doc.add(new StoredField("id", parts[0]));
                doc.add(new TextField("title", parts[1], Field.Store.NO));
                doc.add(new TextField("body", parts[2], Field.Store.NO));
                writer.addDocument(doc);
            }
        }
    }

    private static Query query(QueryBuilder builder, String text) {
        BooleanQuery.Builder both = new BooleanQuery.Builder();
        boolean any = false;
        for (String field : FIELDS) {
            Query part = builder.createBooleanQuery(field, text, BooleanClause.Occur.SHOULD);
            if (part != null) {
                both.add(part, BooleanClause.Occur.SHOULD);
                any = true;
            }
        }
        return any ? both.build() : null;
    }
}
