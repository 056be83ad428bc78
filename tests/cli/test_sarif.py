# SPDX-License-Identifier: MIT
"""`ipxe-lint -f sarif` has every field GitHub code scanning requires
(../shared/spec/lint-conventions.md, "Output formats"):

- `$schema` (a URI) and `version` "2.1.0";
- exactly one run whose `tool.driver` has `name`, `version`,
  `informationUri` and `rules[]`, each rule with `id`, `name`,
  `shortDescription.text`, `fullDescription.text`, `help.text`, `helpUri`
  and `defaultConfiguration.level`;
- `results[]`, each with a `ruleId` that names one of those rules, a
  `level`, `message.text` and exactly one `physicalLocation` whose
  `artifactLocation.uri` is a relative URI reference (repository-relative:
  no scheme, no leading '/', no "./", no backslash, spaces percent-encoded)
  and whose `region` has lines and columns counted from 1;
- a complete document, `results: []` included, when nothing is found.

No Debian package ships the SARIF 2.1.0 JSON schema, so the fields are
checked one by one here.
"""
import json
import os
import re
import unittest
from urllib.parse import quote, urlsplit

from clitest import BAD, CLEAN, MIXED, TempDirTest, gcc_findings, lint, rules

LEVELS = {"error": "error", "warning": "warning", "info": "note",
          "style": "note"}


def text_of(obj, key):
    value = obj.get(key)
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        raise AssertionError("%s.text missing in %r" % (key, obj))
    return value["text"]


class SarifTest(TempDirTest):

    def sarif(self, *args, cwd=None, expect=(0, 1)):
        p = lint("-f", "sarif", *args, cwd=cwd or self.tmp)
        self.assertIn(p.returncode, expect, p.stderr)
        self.assertEqual(p.stderr, b"")
        return json.loads(p.stdout)

    def check_document(self, doc):
        """Every field GitHub needs; returns the run."""
        self.assertIsInstance(doc.get("$schema"), str)
        schema = urlsplit(doc["$schema"])
        self.assertIn(schema.scheme, ("http", "https"))
        self.assertTrue(schema.path.endswith(".json"))
        self.assertIn("2.1.0", doc["$schema"])
        self.assertEqual(doc.get("version"), "2.1.0")
        self.assertIsInstance(doc.get("runs"), list)
        self.assertEqual(len(doc["runs"]), 1)
        run = doc["runs"][0]
        driver = run["tool"]["driver"]
        self.assertEqual(driver["name"], "ipxe-lint")
        self.assertRegex(driver["version"], r"^\d+\.\d+\.\d+")
        self.assertIn(urlsplit(driver["informationUri"]).scheme,
                      ("http", "https"))
        self.check_rules(driver["rules"])
        self.assertIsInstance(run.get("results"), list)
        ids = {r["id"] for r in driver["rules"]}
        for res in run["results"]:
            self.check_result(res, ids)
        return run

    def check_rules(self, rule_list):
        self.assertIsInstance(rule_list, list)
        table = rules()
        self.assertEqual(sorted(r.get("id") for r in rule_list),
                         sorted(table), "rules[] is not --list-rules")
        for r in rule_list:
            with self.subTest(rule=r.get("id")):
                self.assertRegex(r["id"], r"^IPX\d{4}$")
                name, sev = table[r["id"]]
                self.assertEqual(r["name"], name)
                for key in ("shortDescription", "fullDescription", "help"):
                    self.assertTrue(text_of(r, key).strip(), key)
                self.assertLessEqual(len(text_of(r, "shortDescription")),
                                     1024)
                uri = urlsplit(r["helpUri"])
                self.assertEqual(uri.scheme, "https")
                self.assertTrue(uri.netloc)
                self.assertIn(r["id"], uri.path)
                self.assertEqual(r["defaultConfiguration"]["level"],
                                 LEVELS[sev])
                if "markdown" in r["help"]:
                    self.assertIsInstance(r["help"]["markdown"], str)

    def check_result(self, res, ids):
        with self.subTest(result=res.get("ruleId")):
            self.assertIn(res["ruleId"], ids,
                          "ruleId names no rule of tool.driver.rules")
            if "ruleIndex" in res:
                self.assertIsInstance(res["ruleIndex"], int)
            self.assertIn(res["level"], ("error", "warning", "note"))
            self.assertTrue(text_of(res, "message").strip())
            self.assertEqual(len(res["locations"]), 1)
            loc = res["locations"][0]["physicalLocation"]
            uri = loc["artifactLocation"]["uri"]
            self.check_relative_uri(uri)
            region = loc["region"]
            self.assertGreaterEqual(region["startLine"], 1)
            self.assertGreaterEqual(region.get("startColumn", 1), 1)
            self.assertGreaterEqual(region.get("endLine", region["startLine"]),
                                    region["startLine"])
            if "endColumn" in region:
                self.assertGreaterEqual(region["endColumn"], 1)
                if region.get("endLine", region["startLine"]) == \
                        region["startLine"]:
                    self.assertGreater(region["endColumn"],
                                       region.get("startColumn", 1))

    def check_relative_uri(self, uri):
        self.assertIsInstance(uri, str)
        self.assertTrue(uri)
        parts = urlsplit(uri)
        self.assertEqual(parts.scheme, "", uri)
        self.assertFalse(uri.startswith("/"), uri)
        self.assertFalse(uri.startswith("./"), uri)
        self.assertNotIn("\\", uri)
        self.assertNotIn(" ", uri)
        # only characters a URI may hold, '%' escapes well formed
        self.assertRegex(uri, r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})+$")

    def uris(self, run):
        return [r["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"] for r in run["results"]]

    # ---- the tests

    def test_document_with_findings(self):
        self.write("boot/menu.ipxe", MIXED)
        self.write("bad.ipxe", BAD)
        doc = self.sarif("boot/menu.ipxe", "bad.ipxe")
        run = self.check_document(doc)
        gcc = gcc_findings(lint("-f", "gcc", "boot/menu.ipxe", "bad.ipxe",
                                cwd=self.tmp).stdout)
        got = [(r["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"], r["locations"][0]["physicalLocation"]["region"]
                ["startLine"], r["locations"][0]["physicalLocation"]["region"]
                ["startColumn"], r["ruleId"], r["level"])
               for r in run["results"]]
        self.assertEqual(got, [(g[0], g[1], g[2], g[4],
                                "note" if g[3] == "note" else g[3])
                               for g in gcc])

    def test_region_columns(self):
        self.write("bad.ipxe", BAD)
        run = self.check_document(self.sarif("bad.ipxe"))
        region = run["results"][0]["locations"][0]["physicalLocation"][
            "region"]
        # 'nowhere' in "goto nowhere": columns 6..13 (end exclusive)
        self.assertEqual((region["startLine"], region["startColumn"],
                          region.get("endLine", 2), region["endColumn"]),
                         (2, 6, 2, 13))

    def test_document_with_zero_results(self):
        self.write("ok.ipxe", CLEAN)
        doc = self.sarif("-d", "IPX2302", "ok.ipxe", expect=(0,))
        run = self.check_document(doc)
        self.assertEqual(run["results"], [])
        self.assertTrue(run["tool"]["driver"]["rules"])

    def test_zero_results_when_all_filtered(self):
        self.write("bad.ipxe", BAD)
        run = self.check_document(self.sarif("--disable", "all", "bad.ipxe",
                                             expect=(0,)))
        self.assertEqual(run["results"], [])

    def test_uri_is_repository_relative(self):
        self.write("boot/menu.ipxe", BAD)
        for path in ("boot/menu.ipxe", "./boot/menu.ipxe",
                     ".//boot/menu.ipxe"):
            with self.subTest(path=path):
                run = self.check_document(self.sarif(path))
                self.assertEqual(self.uris(run), ["boot/menu.ipxe"])

    def test_absolute_path_inside_the_folder(self):
        path = self.write("boot/menu.ipxe", BAD)
        run = self.check_document(self.sarif(path))
        self.assertEqual(self.uris(run), ["boot/menu.ipxe"])

    def test_uri_is_percent_encoded(self):
        name = "my scripts/menu #1%.ipxe"
        self.write(name, BAD)
        run = self.check_document(self.sarif(name))
        self.assertEqual(self.uris(run), [quote(name)])

    def test_stdin_filename_is_the_uri(self):
        p = lint("-f", "sarif", "--stdin-filename", "boot/x.ipxe", "-",
                 stdin=BAD, cwd=self.tmp)
        run = self.check_document(json.loads(p.stdout))
        self.assertEqual(self.uris(run), ["boot/x.ipxe"])

    def test_engine_and_parser_findings_name_rules(self):
        # an unknown directive (the engine) and a broken template (the
        # parser) must still name a rule of rules[]
        self.write("d.ipxe", b"#!ipxe\n# ipxe-lint frobnicate\nexit 0\n")
        self.write("t.ipxe.j2", b"#!ipxe\necho {{ unclosed\nexit 0\n")
        run = self.check_document(self.sarif("d.ipxe", "t.ipxe.j2"))
        self.assertIn("IPX1020", [r["ruleId"] for r in run["results"]])
        self.assertIn("IPX4001", [r["ruleId"] for r in run["results"]])

    def test_bytes_that_are_not_utf8(self):
        self.write("latin1.ipxe", b"#!ipxe\ngoto caf\xe9\n")
        run = self.check_document(self.sarif("latin1.ipxe"))
        self.assertEqual([r["ruleId"] for r in run["results"]], ["IPX2001"])


if __name__ == "__main__":
    unittest.main()
