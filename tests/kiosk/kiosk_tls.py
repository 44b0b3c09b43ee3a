#!/usr/bin/python3
"""The kiosk verifies the hub's certificate on wss (issue 6). A hub serves wss with a
self-signed certificate for 127.0.0.1 and localhost (made here with openssl):
  - a kiosk given that certificate as --ca-file connects and authenticates;
  - a kiosk given another CA, or none (the system store), does not, and its log says the
    certificate failed verification;
  - a certificate from the right CA that names another host is refused too;
  - --ca-file that cannot be read, or with a plain ws:// URL, is a start-up error.
Exit 0 on success. Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI, SHOWFLOOR_KIOSK (CTest).
"""
import os
import subprocess
import sys
import tempfile

from kiosk_e2e import KIOSK, Hub, cli, token_file

# How long a kiosk that must not connect is watched: several reconnect attempts (0.5 s,
# 1 s, 2 s backoff), each of which must fail verification.
REFUSED_WATCH_S = 4


def make_cert(tmp, name, san):
    """A self-signed certificate (its own CA) naming `san`; returns (cert, key)."""
    crt, key = os.path.join(tmp, f"{name}.crt"), os.path.join(tmp, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-addext", f"subjectAltName={san}",
                    "-keyout", key, "-out", crt], check=True, capture_output=True)
    return crt, key


def start_hub(tmp, db, crt, key):
    hub = Hub(tmp, db, config=f"[tls]\ncert = {crt}\nkey = {key}\n")
    return hub, hub.port


def stop_hub(hub):
    if hub.stop() != 0:
        sys.exit(f"hub exited with {hub.proc.returncode}")


def kiosk(tmp, url, token, extra, wait_s):
    """Runs a headless board kiosk whose script quits once it is connected. Returns
    (exit status or None if it was still running after wait_s, its output)."""
    script = os.path.join(tmp, "connect.script")
    with open(script, "w") as f:
        f.write("expect_connected\nquit\n")
    env = dict(os.environ, XDG_STATE_HOME=os.path.join(tmp, "state"))
    p = subprocess.Popen([KIOSK, "--mode", "board", "--hub", url, "--token-file", token,
                          "--headless", "--script", script, *extra],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out, _ = p.communicate(timeout=wait_s)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        return None, out


def expect_refused(tmp, url, token, extra, what, reason):
    rc, out = kiosk(tmp, url, token, extra, REFUSED_WATCH_S)
    if rc == 0:
        sys.exit(f"{what}: the kiosk connected\n{out}")
    # lws logs the certificate's fault, then the kiosk says where trusted CAs come from
    if reason not in out or "must chain to --ca-file" not in out:
        sys.exit(f"{what}: the kiosk's log does not say why ({reason!r}):\n{out}")
    print(f"{what}: refused, {out.count(reason)} attempts logged with {reason!r}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "hub.db")
        cli(db, "init")
        cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店")
        token, _ = token_file(tmp, db, "SH01", "board", "board")
        hub_crt, hub_key = make_cert(tmp, "hub", "IP:127.0.0.1,DNS:localhost")
        other_crt, _ = make_cert(tmp, "other", "IP:127.0.0.1,DNS:localhost")
        named_crt, named_key = make_cert(tmp, "named", "DNS:hub.example")

        hub, port = start_hub(tmp, db, hub_crt, hub_key)
        try:
            for host in ("127.0.0.1", "localhost"):
                url = f"wss://{host}:{port}/"
                rc, out = kiosk(tmp, url, token, ["--ca-file", hub_crt], 20)
                if rc != 0:
                    sys.exit(f"right CA, {host}: the kiosk did not connect (exit {rc}):\n{out}")
                print(f"right CA, {host}: connected")
            url = f"wss://127.0.0.1:{port}/"
            expect_refused(tmp, url, token, ["--ca-file", other_crt], "another CA",
                           "SSL error: self-signed certificate")
            expect_refused(tmp, url, token, [], "no --ca-file (system store)",
                           "SSL error: self-signed certificate")

            rc, out = kiosk(tmp, f"ws://127.0.0.1:{port}/", token, ["--ca-file", hub_crt], 10)
            if rc in (0, None) or "--ca-file needs a wss://" not in out:
                sys.exit(f"--ca-file with ws:// was not refused at start (exit {rc}):\n{out}")
            rc, out = kiosk(tmp, url, token, ["--ca-file", os.path.join(tmp, "none.pem")], 10)
            if rc != 2 or "--ca-file" not in out:
                sys.exit(f"a missing --ca-file was not a usage error (exit {rc}):\n{out}")
            print("bad --ca-file use: refused at start")
        finally:
            stop_hub(hub)

        # the right CA, but the certificate names another host than the URL's
        hub, port = start_hub(tmp, db, named_crt, named_key)
        try:
            expect_refused(tmp, f"wss://127.0.0.1:{port}/", token, ["--ca-file", named_crt],
                           "certificate for another host", "SSL error: IP address mismatch")
        finally:
            stop_hub(hub)
        print("kiosk tls ok")


if __name__ == "__main__":
    main()
