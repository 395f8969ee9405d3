// End-to-end check of `das preview` through the built binary (skipped if it has not been built).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <sys/wait.h>

#include "das/core/env.h"

namespace das::io {
namespace {

struct Output {
  int exit_code = -1;
  std::string out;
};

// `redirect` chooses what is captured: "2>&1" both, "2>/dev/null" stdout, "2>&1 >/dev/null" stderr.
Output RunDas(const std::string& args, const std::string& redirect = "2>&1") {
  Output o;
  std::string cmd = std::string(DAS_BINARY) + " " + args + " " + redirect;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return o;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
  int status = ::pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

class PreviewCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PosixFileSystem()->Exists(DAS_BINARY)) GTEST_SKIP() << "das binary not built: " << DAS_BINARY;
    path_ = ::testing::TempDir() + "/das_preview_cli_test.csv";
    ASSERT_TRUE(PosixFileSystem()
                    ->WriteFile(path_, "Zaak;Gerecht;Opmerking\r\n01/1-23;RBAMS;\"Caf\xE9 \x93K\x94; 2\"\r\n"
                                       "02/2-23;\"x\"y;\r\n03/3-23;RBGEL;\"a\r\nb\"\r\n")
                    .ok());
  }
  void TearDown() override {
    if (!path_.empty()) PosixFileSystem()->Remove(path_).IgnoreError();
  }
  std::string path_;
};

TEST_F(PreviewCli, JsonPrintsEveryRecordHeaderFirstAndBadRowsOnStderr) {
  Output o = RunDas("preview --json " + path_, "2>/dev/null");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "[\"Zaak\",\"Gerecht\",\"Opmerking\"]\n"
            "[\"01/1-23\",\"RBAMS\",\"Café “K”; 2\"]\n"
            "[\"02/2-23\",\"\\\"x\\\"y\",\"\"]\n"
            "[\"03/3-23\",\"RBGEL\",\"a\\r\\nb\"]\n");
  Output e = RunDas("preview --json " + path_, "2>&1 >/dev/null");
  EXPECT_EQ(e.out,
            "bad record: " + path_ + ": line 3, column 2: unexpected text after closing quote: expected delimiter "
            "';' or end of line, found 'y'; raw: 02/2-23;\\\"x\\\"y;\n"
            "1 bad record(s)\n");
}

TEST_F(PreviewCli, TableShowsDialectRecordsAndBadRows) {
  Output o = RunDas("preview --limit 2 " + path_);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("dialect: delimiter ';', quote '\"', encoding Windows-1252, BOM no, header yes\n"),
            std::string::npos) << o.out;
  EXPECT_NE(o.out.find("2    | 01/1-23 | RBAMS   | Café “K”; 2\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("2 record(s) shown (more follow; use --limit)\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("bad record: " + path_ + ": line 3, column 2: unexpected text after closing quote"),
            std::string::npos) << o.out;
}

TEST_F(PreviewCli, ErrorsAndUsage) {
  Output missing = RunDas("preview /nonexistent/x.csv");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "das preview: cannot open '/nonexistent/x.csv': No such file or directory\n");
  EXPECT_EQ(RunDas("preview").exit_code, 2);
  EXPECT_EQ(RunDas("preview --limit 0 " + path_).exit_code, 2);
}

}  // namespace
}  // namespace das::io
