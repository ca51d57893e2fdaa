package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {
    }

    static Result main(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err), new Ending());
        return new Result(status, out.toString(), err.toString());
    }

    private static final String HEADER = "{\"type\":\"header\",\"schema\":\"oomguard.record/1\",\"version\":\"t\","
            + "\"command\":\"job\",\"host\":\"h\",\"kernel\":\"k\",\"started\":\"2026-11-25T10:00:00Z\","
            + "\"interval_ms\":500,\"settings\":{\"warn\":\"80%\"}}\n";

    @Test
    void aMissingRecordIsOneLineAnd125() {
        Result r = main("report", tmp.resolve("nope.jsonl").toString(), "--html", tmp.resolve("r.html").toString());
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.err().strip()).startsWith("oomguard: no such run record:").doesNotContain("\n");
        assertThat(tmp.resolve("r.html")).doesNotExist();
    }

    @Test
    void aFileWithoutHeaderIsNotARecord() throws Exception {
        Path rec = tmp.resolve("x.jsonl");
        Files.writeString(rec, "{\"type\":\"exit\"}\nhello\n");
        Result r = main("report", rec.toString(), "--html", tmp.resolve("r.html").toString());
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.err()).contains("is not an oomguard run record");
    }

    @Test
    void aRecordWithoutExitRendersWithANote() throws Exception {
        Path rec = tmp.resolve("x.jsonl");
        Files.writeString(rec, HEADER + "{\"type\":\"sample\",\"tick\":1,\"t_ms\":");
        Path html = tmp.resolve("r.html");
        Result r = main("report", rec.toString(), "--html", html.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("no exit line");
        assertThat(Files.readString(html)).contains("the run has no end");
    }

    @Test
    void htmlIsRequired() {
        assertThat(main("report", "x.jsonl").status()).isEqualTo(125);
    }
}
