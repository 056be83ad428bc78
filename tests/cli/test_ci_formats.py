# SPDX-License-Identifier: MIT
"""The CI formats of ipxe-lint, read back as their consumers read them:

- `-f checkstyle`: checkstyle 4.3 XML (Jenkins warnings-ng, reviewdog
  -f=checkstyle), parsed with xml.etree: one <file name> per file, one
  <error line column severity message source> per finding, the same
  findings as the gcc format, every attribute checked; control bytes and
  bytes that are not UTF-8 still give well-formed XML.
- `-f codeclimate`: GitLab Code Quality JSON: an array of issues, each
  with every field GitLab documents (description, check_name, fingerprint,
  severity, location.path, location.lines.begin) plus type and
  categories; fingerprints unique, stable across runs and when a blank
  line is inserted above the findings.
"""
import json
import os
import xml.etree.ElementTree as ET

from clitest import BAD, CLEAN, MIXED, TempDirTest, gcc_findings, lint, rules

CHECKSTYLE_SEV = {"error": "error", "warning": "warning", "info": "info",
                  "style": "info"}
GITLAB_SEV = {"error": "critical", "warning": "minor", "info": "info",
              "style": "info"}
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
CATEGORIES = {"Bug Risk", "Clarity", "Compatibility", "Complexity",
              "Duplication", "Performance", "Security", "Style"}
# two findings of one rule on the same line text, twice: the occurrence
# counter must tell them apart
TWINS = (b"#!ipxe\n"
         b"chian http://x/a\n"
         b"chian http://x/a\n"
         b"goto nowhere\n"
         b"exit 0\n")


class CiFormatsTest(TempDirTest):
    def json_findings(self, *files):
        """The json format's findings, the reference for the others."""
        p = self.lint_in("-f", "json", *files)
        return json.loads(p.stdout)["findings"]


class CheckstyleTest(CiFormatsTest):
    def checkstyle(self, *args):
        p = self.lint_in("-f", "checkstyle", *args)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertTrue(p.stdout.startswith(
            b'<?xml version="1.0" encoding="UTF-8"?>\n'), p.stdout[:80])
        return p, ET.fromstring(p.stdout)

    def test_every_attribute(self):
        self.write("mixed.ipxe", MIXED)
        self.write("bad.ipxe", BAD)
        self.write("ok.ipxe", CLEAN)
        p, root = self.checkstyle("mixed.ipxe", "bad.ipxe", "ok.ipxe")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(root.tag, "checkstyle")
        self.assertEqual(root.attrib, {"version": "4.3"})
        files = root.findall("file")
        self.assertEqual([f.get("name") for f in files],
                         ["mixed.ipxe", "bad.ipxe", "ok.ipxe"])
        want = self.json_findings("mixed.ipxe", "bad.ipxe", "ok.ipxe")
        got = []
        for f in files:
            self.assertEqual(set(f.attrib), {"name"})
            for e in f:
                self.assertEqual(e.tag, "error")
                self.assertEqual(set(e.attrib), {"line", "column", "severity",
                                                 "message", "source"})
                got.append({"file": f.get("name"), "line": int(e.get("line")),
                            "column": int(e.get("column")),
                            "severity": e.get("severity"),
                            "message": e.get("message"),
                            "code": e.get("source")})
        self.assertEqual(got, [{"file": w["file"], "line": w["line"],
                                "column": w["column"],
                                "severity": CHECKSTYLE_SEV[w["severity"]],
                                "message": w["message"], "code": w["code"]}
                               for w in want])
        self.assertEqual({g["severity"] for g in got},
                         {"error", "warning", "info"})
        self.assertEqual(len(files[2]), 0)
        table = rules()
        for g in got:
            self.assertIn(g["code"], table)

    def test_clean_is_a_document(self):
        self.write("ok.ipxe", CLEAN)
        p, root = self.checkstyle("ok.ipxe")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(len(root.findall("file")), 1)
        self.assertEqual(len(root.findall("file/error")), 0)

    def test_xml_special_and_control_bytes(self):
        # quotes, <, >, & in the message; a control byte, a tab and bytes
        # that are not UTF-8 (Latin-1 é) in the command and in the path
        self.write("a&b<\"'>\x01\xe9.ipxe".encode("latin-1").decode(
            "utf-8", "surrogateescape"),
            b"#!ipxe\nch\x01ain'<&\">\xe9 x\nexit 0\n")
        name = "a&b<\"'>\x01\xe9.ipxe".encode("latin-1").decode(
            "utf-8", "surrogateescape")
        p, root = self.checkstyle(name)
        errors = root.findall("file/error")
        self.assertTrue(errors)
        self.assertEqual(errors[0].get("source"), "IPX2101")
        msg = errors[0].get("message")
        self.assertIn("'<&\">", msg)
        self.assertIn("\ufffd", msg)
        fname = root.find("file").get("name")
        self.assertTrue(fname.startswith("a&b<\"'>"), fname)
        self.assertNotIn("\x01", fname)
        self.assertIn("\ufffd", fname)

    def test_tab_and_newline_survive_attributes(self):
        # a tab in a path is kept as a character reference, not normalised
        # to a space by the XML parser
        self.write("a\tb.ipxe", BAD)
        p, root = self.checkstyle("a\tb.ipxe")
        self.assertEqual(root.find("file").get("name"), "a\tb.ipxe")

    def test_severity_filter(self):
        self.write("mixed.ipxe", MIXED)
        p, root = self.checkstyle("-S", "warning", "mixed.ipxe")
        self.assertEqual(sorted(e.get("severity")
                                for e in root.iter("error")),
                         ["error", "warning"])

    def test_same_findings_as_gcc(self):
        self.write("twins.ipxe", TWINS)
        p, root = self.checkstyle("twins.ipxe")
        gcc = gcc_findings(self.lint_in("-f", "gcc", "twins.ipxe").stdout)
        self.assertEqual([(int(e.get("line")), int(e.get("column")),
                           e.get("source")) for e in root.iter("error")],
                         [(f[1], f[2], f[4]) for f in gcc])


class CodeClimateTest(CiFormatsTest):
    def issues(self, *args):
        p = self.lint_in("-f", "codeclimate", *args)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        doc = json.loads(p.stdout)
        self.assertIsInstance(doc, list)
        for issue in doc:
            self.check_issue(issue)
        return p, doc

    def check_issue(self, issue):
        self.assertEqual(set(issue), {"type", "check_name", "description",
                                      "categories", "severity",
                                      "fingerprint", "location"})
        self.assertEqual(issue["type"], "issue")
        self.assertRegex(issue["check_name"], r"^IPX\d{4}$")
        self.assertIsInstance(issue["description"], str)
        self.assertTrue(issue["description"])
        self.assertTrue(issue["categories"])
        self.assertTrue(set(issue["categories"]) <= CATEGORIES)
        self.assertIn(issue["severity"], GITLAB_SEVERITIES)
        self.assertRegex(issue["fingerprint"], r"^[0-9a-f]{16}$")
        loc = issue["location"]
        self.assertEqual(set(loc), {"path", "lines"})
        self.assertIsInstance(loc["path"], str)
        self.assertFalse(loc["path"].startswith(("/", "./")), loc["path"])
        self.assertIsInstance(loc["lines"]["begin"], int)
        self.assertGreaterEqual(loc["lines"]["begin"], 1)
        self.assertGreaterEqual(loc["lines"]["end"], loc["lines"]["begin"])

    def test_every_field(self):
        self.write("mixed.ipxe", MIXED)
        self.write("sub/bad.ipxe", BAD)
        self.write("ok.ipxe", CLEAN)
        p, doc = self.issues("mixed.ipxe", "./sub/bad.ipxe", "ok.ipxe")
        self.assertEqual(p.returncode, 1)
        want = self.json_findings("mixed.ipxe", "./sub/bad.ipxe", "ok.ipxe")
        self.assertEqual(
            [(i["check_name"], i["description"], i["severity"],
              i["location"]["path"], i["location"]["lines"]["begin"])
             for i in doc],
            [(w["code"], w["message"], GITLAB_SEV[w["severity"]],
              w["file"].lstrip("./"), w["line"]) for w in want])
        self.assertIn("Style", [c for i in doc for c in i["categories"]])
        self.assertEqual(len({i["fingerprint"] for i in doc}), len(doc))

    def test_absolute_path_is_made_relative(self):
        path = self.write("bad.ipxe", BAD)
        p, doc = self.issues(path)
        self.assertEqual(doc[0]["location"]["path"], "bad.ipxe")

    def test_nothing_found(self):
        self.write("ok.ipxe", CLEAN)
        p, doc = self.issues("ok.ipxe")
        self.assertEqual((p.returncode, doc), (0, []))

    def test_fingerprints_unique_and_stable(self):
        self.write("twins.ipxe", TWINS)
        p, one = self.issues("twins.ipxe")
        p, two = self.issues("twins.ipxe")
        self.assertEqual(one, two)
        prints = [i["fingerprint"] for i in one]
        self.assertEqual(len(set(prints)), len(prints))
        # the two identical lines give two findings of one rule
        self.assertEqual([i["check_name"] for i in one].count("IPX2101"), 2)

    def test_fingerprints_survive_moved_lines(self):
        self.write("twins.ipxe", TWINS)
        p, before = self.issues("twins.ipxe")
        self.write("twins.ipxe", TWINS.replace(b"#!ipxe\n", b"#!ipxe\n\n"))
        p, after = self.issues("twins.ipxe")
        self.assertEqual([i["fingerprint"] for i in before],
                         [i["fingerprint"] for i in after])
        self.assertEqual([i["location"]["lines"]["begin"] + 1
                          for i in before],
                         [i["location"]["lines"]["begin"] for i in after])

    def test_fingerprint_changes_with_file_and_text(self):
        self.write("a.ipxe", BAD)
        self.write("b.ipxe", BAD)
        self.write("c.ipxe", BAD.replace(b"nowhere", b"elsewhere"))
        p, doc = self.issues("a.ipxe", "b.ipxe", "c.ipxe")
        self.assertEqual(len({i["fingerprint"] for i in doc}), 3)

    def test_bytes_that_are_not_utf8(self):
        self.write("latin1.ipxe", b"#!ipxe\nch\xe9in x\x01\nexit 0\n")
        p, doc = self.issues("latin1.ipxe")
        self.assertIn("\ufffd", doc[0]["description"])
