"""The benchmark suite (tools/bench/run.sh, BENCHMARKS.md) runs in --quick mode and its output
parses into sane figures. A smoke test: it asserts that every part of the suite ran and that
the numbers are internally consistent, never that a performance target is met (benchmarks are
not timed tests).

Environment: SHOWFLOOR_BUILD_DIR names the CMake build holding the programs (CTest sets it)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("SHOWFLOOR_BUILD_DIR", os.path.join(ROOT, "build"))
RUN = os.path.join(ROOT, "tools", "bench", "run.sh")


class BenchQuick(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="showfloor-bench-test-")
        cls.out = os.path.join(cls.tmp, "BENCHMARKS.md")
        cls.results = os.path.join(cls.tmp, "results.jsonl")
        cls.proc = subprocess.run(
            [RUN, "--quick", "--no-build", "--build", BUILD, "--out", cls.out,
             "--results", cls.results],
            capture_output=True, text=True, timeout=900)
        cls.runs = {}
        if os.path.exists(cls.results):
            with open(cls.results, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    cls.runs[r["label"]] = r
        cls.mqtt = "mqtt=1" in cls.proc.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_of(self, label):
        self.assertIn(label, self.runs, f"no result for {label}; stderr:\n"
                      f"{self.proc.stderr[-4000:]}")
        return self.runs[label]

    def test_1_suite_exits_cleanly_and_writes_the_file(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr[-4000:])
        with open(self.out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("<!-- results:begin", text)
        self.assertIn("### Targets", text)
        self.assertIn("| showfloor-hub |", text)
        self.assertIn("Machine:", text)
        self.assertIn("libwebsockets", text)
        # the table printed on stdout is the one written to the file
        self.assertIn("### Targets", self.proc.stdout)

    def test_2_fanout_delivers_every_event_to_every_subscriber(self):
        servers = ["hub", "bare"] + (["mqtt-qos0", "mqtt-qos1"] if self.mqtt else [])
        for s in servers:
            r = self.run_of(f"latency-100/{s}")
            with self.subTest(server=s):
                self.assertEqual(r["subs"], 100)
                self.assertEqual(r["lost"], 0, r)
                self.assertEqual(r["failed"], 0, r)
                self.assertGreater(r["measured_events"], 0, r)
                self.assertEqual(r["lat_n"], r["measured_events"] * 100, r)
                # 20 events/s to 100 subscribers is about 2,000 deliveries/s
                self.assertGreater(r["deliveries_per_s"], 1500, r)
                self.assertLess(r["deliveries_per_s"], 2500, r)
                self.assertLessEqual(r["p50_ms"], r["p99_ms"])
                self.assertLessEqual(r["p99_ms"], r["max_ms"])
                self.assertLessEqual(r["e2e_p50_ms"], r["e2e_p99_ms"])
                self.assertGreaterEqual(r["e2e_p50_ms"], 0)
                self.assertGreater(r["server_peak_rss_kb"], 0)
                self.assertGreaterEqual(r["server_cpu_pct"], 0)
            r = self.run_of(f"saturation-100/{s}")
            with self.subTest(server=s, scenario="saturation"):
                self.assertEqual(r["lost"], 0, r)
                self.assertGreater(r["deliveries_per_s"], 2500, r)

    def test_3_commands_are_acknowledged(self):
        for n in (1, 8, 64):
            r = self.run_of(f"commands-{n}/hub")
            with self.subTest(senders=n):
                self.assertEqual(r["senders"], n)
                self.assertEqual(r["failed"], 0, r)
                self.assertGreater(r["acks_per_s"], 0, r)
                self.assertGreater(r["rtt_p50_ms"], 0, r)

    def test_4_connections_are_held(self):
        r = self.run_of("hold-1000/hub")
        self.assertEqual(r["connected"], 1000, r)
        self.assertEqual(r["conn_failed"], 0, r)
        self.assertGreater(r["server_rss_kb"], 0, r)

    def test_5_kiosk_figures(self):
        r = self.run_of("kiosk")
        for key in ("first_frame_ms", "first_connected_frame_ms", "spawn_to_first_frame_ms",
                    "fps", "peak_rss_kb"):
            self.assertIn(key, r, r)
            self.assertGreater(r[key], 0, r)
        self.assertLessEqual(r["first_frame_ms"], r["first_connected_frame_ms"], r)
        self.assertGreater(r["notes"], 0, "no event reached the kiosk while it was measured")
        self.assertGreaterEqual(r["idle_cpu_pct"], 0)

    def test_6_disk_and_sqlite_reference(self):
        for label in ("ref/fdatasync", "ref/sqlite-commit", "ref/sqlite-batch"):
            r = self.run_of(label)
            with self.subTest(label=label):
                self.assertGreater(r["n"], 0, r)
                self.assertGreater(r["per_s"], 0, r)
                self.assertGreater(r["p50_ms"], 0, r)
                self.assertLessEqual(r["p50_ms"], r["p99_ms"], r)
        # a commit of 100 rows writes more than a commit of one: the two were not swapped
        self.assertGreater(self.runs["ref/sqlite-batch"]["p50_ms"],
                           self.runs["ref/sqlite-commit"]["p50_ms"])
        with open(self.out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("### The disk and SQLite alone", text)
        self.assertIn("SQLite alone, same run:", text)


class Instructions(unittest.TestCase):
    """tools/bench/instructions.sh counts the hub's instructions per check-in under callgrind."""

    def test_counts_a_steady_stretch(self):
        if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
            self.skipTest("valgrind is not installed (tools/bench/deps.sh)")
        proc = subprocess.run(
            ["bash", os.path.join(ROOT, "tools", "bench", "instructions.sh"), "--build", BUILD,
             "--senders", "4", "--seconds", "2"],
            capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr[-4000:])
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        self.assertEqual(len(lines), 1, proc.stdout)
        r = json.loads(lines[0][len("RESULT "):])
        self.assertEqual(r["label"], "instructions/checkin")
        self.assertEqual(r["senders"], 4)
        self.assertGreater(r["checkins"], 0, r)
        self.assertEqual(r["per_checkin"], r["instructions"] // r["checkins"], r)
        # a check-in is SQL, JSON and crypto: more than 50,000 instructions, and a stretch that
        # counted the whole process's start would show far more than 20 million
        self.assertGreater(r["per_checkin"], 50_000, r)
        self.assertLess(r["per_checkin"], 20_000_000, r)

    def test_refuses_a_missing_hub(self):
        proc = subprocess.run(
            ["bash", os.path.join(ROOT, "tools", "bench", "instructions.sh"), "--build", BUILD,
             "--hub", "/nonexistent/showfloor-hub"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("is missing", proc.stderr)


if __name__ == "__main__":
    unittest.main()
