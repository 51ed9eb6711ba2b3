#!/usr/bin/env python3
"""The producer workbench (issue 14) in a real browser.

Headless Debian Chromium, driven by Selenium through chromedriver, against a real
`yima serve` on a fresh data folder: key, registration approved with the CLI,
product, batch, offline records that survive a reload and are sent in order, a banned
pesticide refused on the form, 20 codes signed in the browser whose label PDF is
decoded with zbarimg and verified with `yima verify`, their unit-issuance event's
`units_root` recomputed with hashlib and audited with `yima audit --units`, a 承诺达标合格证, and a unit's
lookup page. Screenshots at 360 px width go to --out.

    python3 Tests/Browser/workbench_test.py --yima .build/debug/yima [--out DIR] [--figures]

--figures also measures issuing 5,000 codes and draining 200 offline records.
Exit status 0 when every check passed; the last line is "workbench: N passed, M failed".
"""
import argparse, base64, hashlib, json, re, shutil, socket, subprocess, sys, tempfile, time
import urllib.request, urllib.error
from datetime import date, timedelta
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait, Select

ROOT = Path(__file__).resolve().parents[2]
passed, failed = 0, 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {what}", flush=True)
    else:
        failed += 1
        print(f"FAIL {what}", flush=True)
    return condition


def run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120, **kwargs)


class Server:
    """`yima serve` on a free loopback port over a fresh data folder."""

    def __init__(self, yima, data):
        self.yima, self.data = yima, data
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [yima, "serve", "--data", data, "--host", "127.0.0.1", "--port", str(self.port),
             "--templates", str(ROOT / "templates"), "--workbench", str(ROOT / "workbench"), "--log-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError("yima serve exited: " + self.process.stderr.read().decode())
                time.sleep(0.1)
        raise RuntimeError("yima serve did not start")

    def json(self, path):
        request = urllib.request.Request(self.base + path, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class Browser:
    def __init__(self, out, profile):
        options = webdriver.ChromeOptions()
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=360,800", f"--user-data-dir={profile}", "--lang=zh-CN"]:
            options.add_argument(flag)
        options.binary_location = "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.downloads = Path(tempfile.mkdtemp(prefix="yima-wb-downloads-"))
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads)})
        self.out = out

    def downloaded(self, name, seconds=30):
        """The bytes of a file the page downloaded, once complete."""
        path = self.downloads / name
        self.wait(lambda: path.exists() and path.stat().st_size > 0, seconds)
        return path.read_bytes()

    def wait(self, condition, seconds=20):
        return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(lambda d: condition())

    def el(self, css, seconds=20):
        return self.wait(lambda: self.driver.find_elements(By.CSS_SELECTOR, css) and self.driver.find_element(By.CSS_SELECTOR, css), seconds)

    def text(self, css):
        return self.driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css)

    def go(self, url, ready="#main h2"):
        self.driver.get(url)
        self.el(ready)

    def fill(self, values, within="#main"):
        for name, value in values.items():
            element = self.el(f"{within} [name='{name}']")
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            else:
                element.clear()
                element.send_keys(value)

    def shot(self, name):
        """A screenshot of the whole page at 360 px width."""
        height = self.driver.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 360, "height": height, "deviceScaleFactor": 1, "mobile": True})
        self.driver.save_screenshot(str(self.out / f"{name}.png"))
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})

    def offline(self, offline):
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                    {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    def script(self, body, *args):
        """Runs `body` as an async function in the page, with the workbench's modules at hand."""
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "(async (...args) => {" + body + "})(...Array.from(arguments).slice(0, -1))"
            ".then(done, (e) => done({error: String(e && e.stack || e)}));", *args)

    def queue(self):
        return self.script("const q = await import('/workbench/js/queue.js'); return await q.entries();")


def first_load_bytes(server, out):
    """Bytes transferred by a first visit with an empty profile (Resource Timing)."""
    profile = tempfile.mkdtemp(prefix="yima-wb-profile-")
    browser = Browser(out, profile)
    try:
        browser.go(server.base + "/workbench/")
        time.sleep(1)
        entries = browser.driver.execute_script(
            "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
            ".map(e => [e.name, e.transferSize, e.encodedBodySize])")
        return entries
    finally:
        browser.driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--yima", default=str(ROOT / ".build/debug/yima"))
    parser.add_argument("--out", default=str(ROOT / ".build/test-artifacts/workbench"))
    parser.add_argument("--figures", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="yima-wb-"))
    data = work / "data"
    init = run(args.yima, "init", "--data", data, "--demo-authority")
    if not check(init.returncode == 0, "yima init"):
        print(init.stderr)
        return
    server = Server(args.yima, str(data))
    browser = None
    try:
        browser = Browser(out, work / "profile")
        gtin, lot = flow(server, browser, out, work, args)
        if args.figures:
            figures(server, browser, gtin, lot)
    except Exception:
        if browser:
            browser.driver.save_screenshot(str(out / "failure.png"))
            print("stopped at:", browser.driver.current_url, browser.text("body")[:600])
        raise
    finally:
        if browser:
            for entry in browser.driver.get_log("browser"):
                if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]:
                    print("browser:", entry["message"])
            browser.driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def flow(server, b, out, work, args):
    d = b.driver
    base = server.base + "/workbench/"

    # The first load, measured with an empty profile.
    entries = first_load_bytes(server, out)
    total = sum(e[1] for e in entries)
    print(f"first load: {total} bytes transferred in {len(entries)} requests "
          f"({sum(e[2] for e in entries)} bytes of bodies)")
    check(0 < total < 150 * 1024, f"first load under 150 KB ({total} bytes)")

    b.go(base)
    vectors(b, work, args)

    # 1. Key: created with a backup passphrase; the stored copy is non-extractable.
    b.go(base)
    check("没有签名密钥" in b.text("#main"), "Chinese by default: no key yet")
    b.shot("01-key-none")
    b.el("#passphrase").send_keys("correct horse battery")
    b.el("#create-key-backup").click()
    pem = b.el("#key-pem").text.strip() + "\n"
    kid = b.text("#key-id")
    alg = b.text("#key-alg")
    b.shot("02-key")
    b.el("#lang").click()
    b.wait(lambda: "Key id" in b.text("#main"))
    check(b.text("#lang") == "中文", "the English switch works")
    b.shot("02-key-en")
    b.el("#lang").click()
    b.wait(lambda: "密钥标识" in b.text("#main"))
    der = base64.b64decode("".join(pem.strip().splitlines()[1:-1]))
    check(hashlib.sha256(der).hexdigest()[:16] == kid, f"key id {kid} is SHA-256 of the SPKI ({alg})")
    exported = b.script("const k = await (await import('/workbench/js/keys.js')).current();"
                        "try { await crypto.subtle.exportKey('pkcs8', k.privateKey); return 'exported'; }"
                        "catch (e) { return k.privateKey.extractable ? 'extractable' : 'refused'; }")
    check(exported == "refused", "the stored private key cannot be exported")
    b.el("#key-qr").screenshot(str(out / "key-qr.png"))
    qr = run("zbarimg", "-q", "--raw", out / "key-qr.png")
    check(qr.stdout.rstrip("\n") + "\n" == pem, "zbarimg reads the public key PEM from the QR code")
    b.el("#backup-link").click()
    backup = b.downloaded(f"yima-{kid}.key")
    (work / "backup.key").write_bytes(backup)
    check(backup.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"), "the backup downloads as an encrypted PKCS#8 PEM")
    (work / "pass").write_text("correct horse battery\n")
    openssl = run("openssl", "pkey", "-in", work / "backup.key", "-passin", f"file:{work / 'pass'}", "-pubout")
    check(openssl.returncode == 0 and openssl.stdout == pem, "openssl decrypts the PKCS#8 backup (PBES2) to the same key")
    (work / "trust").mkdir()
    (work / "trust" / "producer.pub").write_text(pem)

    # The CLI signs with the backup; the codes verify against the browser's public key.
    cli = run(args.yima, "issue", "--key", work / "backup.key", "--passphrase-file", work / "pass",
              "--gtin", "06901234567892", "--lot", "BACKUP-1", "--count", "2", "--out", work / "cli-codes")
    verify = run(args.yima, "verify", "--file", work / "cli-codes" / "codes.txt", "--trust", work / "trust")
    check(cli.returncode == 0 and verify.returncode == 0, "yima issue reads the backup; yima verify says genuine")

    # 2. Registration, the credit code checked while typing.
    b.go(base + "#register")
    credit = b.el("[name='credit_code']")
    credit.send_keys("91350100M000100Y44")
    check("应为 3" in b.text("#credit-code-check"), "a wrong check character is named while typing")
    b.shot("03-register-bad-credit-code")
    credit.send_keys(Keys.BACKSPACE, "3")
    check("校验通过" in b.text("#credit-code-check"), "the right check character is accepted")
    b.fill({"id": "zhouzhi-kiwi-coop", "name": "周至县猕猴桃专业合作社", "address": "陕西省西安市周至县楼观镇", "contact": "029-87000000"})
    d.find_element(By.CSS_SELECTOR, "[name='role-cooperative']").click()
    d.find_element(By.CSS_SELECTOR, "#registration button[type=submit]").click()
    state = b.el("#registration-state")
    check(state.text == "待审核", "registration request pending")
    b.shot("04-registration-pending")
    requests = run(args.yima, "party", "requests", "--data", server.data, "--json")
    pending = json.loads(requests.stdout or "[]")
    check(len(pending) == 1, "yima party requests lists the request")
    approve = run(args.yima, "party", "approve", "--data", server.data,
                  "--authority-key", Path(server.data) / "authority" / "authority.key", pending[0]["id"] if pending else "none")
    check(approve.returncode == 0, "yima party approve signs the party record")
    if approve.returncode:
        print(approve.stdout, approve.stderr)
    b.el("#registration-refresh").click()
    b.wait(lambda: b.text("#registration-state") == "已批准")
    check(True, "the workbench shows the registration approved")
    d.find_element(By.CSS_SELECTOR, "#registration button[type=submit]").click()
    check("already-registered" in b.el("#refusal").text, "a second request for the same party shows already-registered")
    b.shot("04b-registration-refused")

    # 3. Product (a county-assigned code) and batch.
    b.go(base + "#product")
    b.el("#county-code").send_keys("6101240007")
    d.find_element(By.XPATH, "//button[text()='生成县级赋码']").click()
    gtin = b.el("[name='gtin']").get_attribute("value")
    b.fill({"name": "周至猕猴桃", "variety": "徐香", "category": "fruit"})
    d.find_element(By.CSS_SELECTOR, "#product button[type=submit]").click()
    check("已保存" in b.el("#result").text, f"product {gtin} stored")
    b.shot("05-product")
    lot = "2026-KIWI-01"
    b.go(base + "#batches")
    b.fill({"lot": lot, "origin.division": "610124103201", "origin.place": "楼观镇周一村 3 号地块",
            "origin.lat": "34.0812", "origin.lon": "108.3305", "quantity.value": "1250"})
    d.find_element(By.CSS_SELECTOR, "#batch button[type=submit]").click()
    check("已保存" in b.el("#result").text, "batch stored")
    b.shot("06-batch")

    # 4. Offline: two records signed and queued, a reload, then sent in order.
    b.go(base + f"#b/{gtin}/{lot}", ready="#chain")
    b.offline(True)
    b.wait(lambda: "离线" in b.text("#net"))
    check(True, "the workbench sees it is offline")
    applied = (date.today() - timedelta(days=30)).isoformat()
    Select(b.el("#event-type")).select_by_value("pesticide")
    b.el("#event-pesticide")
    b.fill({"name": "吡虫啉", "registration_number": "PD20080123", "active_ingredient": "吡虫啉 10%",
            "dose.value": "30", "safety_interval_days": "14"}, within="#event-pesticide")
    d.execute_script("document.querySelector('#event-pesticide [name=date]').value = arguments[0]", applied)
    d.find_element(By.CSS_SELECTOR, "#event-pesticide button[type=submit]").click()
    check("排队" in b.el("#result").text, "pesticide application signed and queued offline")
    Select(b.el("#event-type")).select_by_value("care")
    b.el("#event-care")
    b.fill({"activity": "irrigation", "note": "滴灌 2 小时"}, within="#event-care")
    d.find_element(By.CSS_SELECTOR, "#event-care button[type=submit]").click()
    b.wait(lambda: "排队" in b.text("#event-care #result"))
    check(True, "care event signed and queued offline")
    status, chain = server.json(f"/01/{gtin}/10/{lot}")
    check(status == 200 and chain["events"] == [], "the server has received nothing while offline")
    d.refresh()
    b.el("#main h2")
    d.find_element(By.ID, "nav-queue").click()
    b.el("#queue")
    queued = [e for e in b.queue() if e["status"] == "queued"]
    check(len(queued) == 2, "after a reload while offline both records are still queued")
    b.shot("07-queue-offline")
    b.offline(False)
    b.wait(lambda: all(e["status"] == "stored" for e in b.queue()), 30)
    status, chain = server.json(f"/01/{gtin}/10/{lot}")
    types = [e["record"]["type"] for e in chain["events"]]
    check(types == ["input_application", "care"], f"back online, both stored in order: {types}")
    check([e["id"] for e in chain["events"]] == [e["id"] for e in queued], "the stored ids are the ones signed offline")
    check(chain["events"][1]["record"]["prev"] == chain["events"][0]["id"], "the second names the first as prev")
    b.go(base + "#queue", ready="#queue")
    b.shot("08-queue-sent")

    # 5. A banned pesticide: warned before signing (dry run), refused after.
    b.go(base + f"#b/{gtin}/{lot}", ready="#chain")
    Select(b.el("#event-type")).select_by_value("pesticide")
    b.el("#event-pesticide")
    b.fill({"name": "甲胺磷", "registration_number": "PD20080123", "active_ingredient": "甲胺磷",
            "dose.value": "30", "safety_interval_days": "14"}, within="#event-pesticide")
    d.find_element(By.CSS_SELECTOR, "#event-pesticide button[type=submit]").click()
    warning = b.el("#warnings").text
    check("banned-pesticide" in warning, "the dry run warns with rule id banned-pesticide before signing")
    b.shot("09-banned-warning")
    d.find_element(By.CSS_SELECTOR, "#event-pesticide button[type=submit]").click()
    refusal = b.el("#refusal").text
    check("banned-pesticide" in refusal, "the server's refusal shows the rule id on the form")
    check(b.el("#event-pesticide [name='name']").get_attribute("value") == "甲胺磷", "the draft is kept for correction")
    b.shot("10-banned-refused")
    refused = [e for e in b.queue() if e["status"] == "refused"]
    check(len(refused) == 1 and refused[0]["reason"].get("rule") == "banned-pesticide", "the refused record stays queued with its reason")

    # 6. 20 codes signed in the browser, uploaded with their unit-issuance event.
    b.go(base + f"#b/{gtin}/{lot}", ready="#chain")
    b.el("#code-count").clear()
    b.el("#code-count").send_keys("20")
    b.el("#issue-codes").click()
    issued = b.el("#issued", 60)
    check(issued is not None, "20 codes issued")
    b.shot("11-codes-issued")

    # Labels: the PDF, every QR decoded and verified.
    b.el("#download-labels").click()
    b.el("#label-link")
    pdf = b.downloaded(f"{gtin}-{lot}.pdf")
    (work / "labels.pdf").write_bytes(pdf)
    check(pdf.startswith(b"%PDF-"), f"label PDF downloaded ({len(pdf)} bytes)")
    b.shot("12-labels")
    pages = work / "pages"
    pages.mkdir()
    run("pdftoppm", "-r", "300", "-png", work / "labels.pdf", pages / "label")
    codes = set()
    for png in sorted(pages.glob("*.png")):
        decoded = run("zbarimg", "-q", "--raw", png)
        codes.update(line for line in decoded.stdout.splitlines() if "/21/" in line)
    check(len(codes) == 20, f"zbarimg decodes 20 distinct codes from the PDF ({len(codes)})")
    (work / "codes.txt").write_text("\n".join(sorted(codes)) + "\n")
    verify = run(args.yima, "verify", "--file", work / "codes.txt", "--trust", work / "trust", "--json")
    verdicts = [v["verdict"] for v in json.loads(verify.stdout or "[]")]
    check(verify.returncode == 0 and verdicts == ["genuine"] * 20, "yima verify: every code genuine with the browser's key")
    # The stored event commits to exactly these codes, and the store's issued sets audit clean.
    status, chain = server.json(f"/01/{gtin}/10/{lot}")
    issuance = [e["record"]["data"] for e in chain["events"] if e["record"]["type"] == "unit_issuance"]
    expected_root = units_root(codes)
    check(len(issuance) == 1 and issuance[0].get("units_root") == expected_root,
          f"the stored unit-issuance event carries units_root {expected_root[:16]}…, hashlib's root of the 20 decoded codes")
    audit = run(args.yima, "audit", "--units", "--data", server.data, "--lang", "en")
    print(audit.stdout.strip())
    check(audit.returncode == 0 and "20 units, matching its units_root" in audit.stdout,
          f"yima audit --units passes on the data folder (exit {audit.returncode}) {audit.stderr.strip()}")
    # An event whose units_root is not the root of the codes uploaded with it is refused, and nothing is stored.
    refused = b.script("""
      const keys = await import('/workbench/js/keys.js'), db = await import('/workbench/js/db.js');
      const { seal, localTime } = await import('/workbench/js/envelope.js');
      const { signCodes } = await import('/workbench/js/codes.js'), { unitsRoot } = await import('/workbench/js/commitment.js');
      const [gtin, lot, prev] = args; const key = await keys.current(); const party = await db.get('kv', 'party');
      const codes = await signCodes(key, location.origin, gtin, lot, ['ROOTA0000001', 'ROOTB0000002', 'ROOTC0000003']);
      const record = { kind: 'event', v: 1, type: 'unit_issuance', actor: party.id, batch: { gtin, lot }, prev, time: localTime(),
        data: { count: 2, kid: key.kid, units_root: await unitsRoot(codes.slice(0, 2)) } };
      const { envelope } = await seal(record, key);
      const response = await fetch('/api/v1/issuances', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ event: JSON.parse(envelope), codes: [codes[0].code, codes[2].code] }) });
      return { status: response.status, body: await response.json() };""", gtin, lot, chain["events"][-1]["id"])
    after = server.json(f"/01/{gtin}/10/{lot}")[1]
    check(refused.get("status") == 400 and after["events"] == chain["events"],
          f"codes other than those its units_root commits to are refused (400) and nothing is stored: {refused}")

    # 7. 承诺达标合格证 and its label.
    # A test basis needs an inspection naming 吡虫啉, applied above (records.md §test-coverage): warned before signing.
    b.fill({"number": "HGZ-2026-0001", "quantity.value": "500", "basis": "self_test", "contact": "029-87000000"}, within="#certificate")
    d.find_element(By.CSS_SELECTOR, "#certificate button[type=submit]").click()
    b.wait(lambda: "test-coverage" in b.text("#certificate"))
    check(True, "a self-test certificate with 吡虫啉 untested is warned with rule id test-coverage")
    b.fill({"basis": "internal_control"}, within="#certificate")
    d.find_element(By.CSS_SELECTOR, "#certificate button[type=submit]").click()
    link = b.el("#certificate-link", 30).get_attribute("href")
    svg = urllib.request.urlopen(link).read().decode()
    check("承诺达标合格证" in svg, "the certificate label is printable")
    b.shot("13-certificate")
    b.go(base + f"#b/{gtin}/{lot}", ready="#chain")
    rows = b.text("#chain")
    check("施用农药" not in rows or "已保存" in rows, "batch page lists the chain with queue states")
    b.shot("14-batch-page")

    # 8. A unit's lookup page, as a consumer sees it.
    code = sorted(codes)[0]
    d.get(server.base + code[code.index("/01/"):])
    page = d.find_element(By.TAG_NAME, "body").text
    check("吡虫啉" in page and "PD20080123" in page, "the unit's lookup page shows the recorded events")
    b.shot("15-lookup")
    return gtin, lot


def pem_body(path):
    """The base64 body of the PEM block in `path` (fixtures start with a TEST KEY comment)."""
    text = Path(path).read_text()
    return "".join(re.search(r"-----BEGIN [A-Z ]+-----\n(.*?)-----END", text, re.S).group(1).split())


def vectors(b, work, args):
    """The browser's canonical JSON, envelopes and codes against docs/test-vectors."""
    cases = json.loads((ROOT / "docs/test-vectors/envelope-v1/payloads.json").read_text())["cases"]
    wrong = b.script("""
      const { canonicalize } = await import('/workbench/js/canonical.js');
      const wrong = [];
      for (const c of args[0]) {
        if (c.payload === undefined) continue;
        let value; try { value = JSON.parse(c.payload); } catch { if (c.canonical) wrong.push(c.name); continue; }
        let text = null; try { text = canonicalize(value); } catch { }
        if ((text === c.payload) !== c.canonical) wrong.push(c.name);
      }
      return wrong;""", cases)
    check(wrong == [], f"canonical JSON agrees with every payload vector ({len(cases)}): {wrong}")
    doc = (ROOT / "docs/envelope.md").read_text()
    vector = lambda name: re.search(r"<!-- vector: " + name + r" -->\n```\n(.*?)\n```", doc, re.S).group(1)
    sealed = b.script("""
      const { seal } = await import('/workbench/js/envelope.js');
      const { fromBase64 } = await import('/workbench/js/bytes.js');
      const privateKey = await crypto.subtle.importKey('pkcs8', fromBase64(args[0]), { name: 'Ed25519' }, false, ['sign']);
      return await seal(JSON.parse(args[1]), { alg: 'ed25519', kid: args[2], privateKey });""",
        pem_body(ROOT / "Tests/YimaRecordsTests/fixtures/test-ed25519.key"), vector("payload"), "652c9efcee3b780d")
    check(sealed.get("envelope") == vector("envelope") and sealed.get("id") == vector("record-id"),
          "the browser signs the envelope.md test vector byte for byte")
    code_doc = (ROOT / "docs/code-format.md").read_text()
    expected = re.search(r"\n    (https://YIMA\.EXAMPLE\.COM/01/\S+\?s=1[0-9]{165})\n", code_doc).group(1)
    code = b.script("""
      const { signCodes } = await import('/workbench/js/codes.js');
      const { fromBase64 } = await import('/workbench/js/bytes.js');
      const privateKey = await crypto.subtle.importKey('pkcs8', fromBase64(args[0]), { name: 'Ed25519' }, false, ['sign']);
      const [c] = await signCodes({ alg: 'ed25519', kid: '84505ee52c954a57', privateKey }, 'https://yima.example.com', '09506000134352', 'ABCDE12345', ['BMFFEZTP7BWY']);
      return c.code;""", pem_body(ROOT / "Tests/YimaCodesTests/fixtures/code-v1/ed25519.test-key.pem"))
    check(code == expected, "the browser signs the code-format.md test vector byte for byte")
    # ECDSA P-256, the fallback: 64-byte r||s from WebCrypto, verified by the CLI.
    p256 = b.script("""
      const { signCodes } = await import('/workbench/js/codes.js');
      const { sha256, hex, pem } = await import('/workbench/js/bytes.js');
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
      const kid = hex((await sha256(spki)).subarray(0, 8));
      const codes = await signCodes({ alg: 'p256', kid, privateKey: pair.privateKey }, location.origin, '06901234567892', 'P256-1', ['AAAA1111BBBB', 'CCCC2222DDDD']);
      return { pem: pem('PUBLIC KEY', spki), codes: codes.map(c => c.code) };""")
    (work / "p256").mkdir()
    (work / "p256" / "browser-p256.pub").write_text(p256["pem"])
    (work / "p256" / "codes.txt").write_text("\n".join(p256["codes"]) + "\n")
    verify = run(args.yima, "verify", "--file", work / "p256" / "codes.txt", "--trust", work / "p256")
    check(verify.returncode == 0, "codes signed with a browser P-256 key verify with yima verify")
    units_root_vectors(b)


def units_root_vectors(b):
    """commitment.js against docs/test-vectors/issuance-v1: every tree's root, every refused set refused."""
    doc = json.loads((ROOT / "docs/test-vectors/issuance-v1/vectors.json").read_text())
    results = b.script("""
      const { unitsRoot } = await import('/workbench/js/commitment.js');
      const bytes = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
      const root = async (units) => {
        try { return await unitsRoot(units.map((u) => ({ serial: u.serial, signature: bytes(u.signature_hex) }))); }
        catch (e) { return { refused: String(e.message) }; }
      };
      const out = { trees: [], refused: [] };
      for (const t of args[0]) out.trees.push(await root(t.units));
      for (const r of args[1]) out.refused.push(await root(r.units));
      return out;""", doc["trees"], doc["refused"])
    wrong = [t["name"] for t, got in zip(doc["trees"], results["trees"]) if got != t["root_hex"]]
    check(wrong == [], f"the browser's units_root agrees with every tree vector ({len(doc['trees'])}): {wrong}")
    accepted = [r["why"] for r, got in zip(doc["refused"], results["refused"]) if not isinstance(got, dict)]
    check(accepted == [], f"the browser gives no units_root for every refused set ({len(doc['refused'])}): {accepted}")


def units_root(codes):
    """docs/issuance-commitment.md §6's root, in Python, from printed codes (serial; `s` digits 12–166 → 64 bytes)."""
    units = []
    for code in codes:
        serial = re.search(r"/21/([^?]+)\?s=", code).group(1)
        signature = int(code.split("?s=")[1][11:]).to_bytes(64, "big")
        units.append((serial, signature))
    leaves = [hashlib.sha256(b"\0" + bytes([len(s)]) + s.encode() + sig).digest()
              for s, sig in sorted(units, key=lambda u: u[0].encode())]

    def mth(h):
        if len(h) == 1:
            return h[0]
        k = 1
        while k * 2 < len(h):
            k *= 2
        return hashlib.sha256(b"\1" + mth(h[:k]) + mth(h[k:])).digest()
    return mth(leaves).hex()


def figures(server, b, gtin, lot):
    """Timings for the report: 5,000 codes, and a queue of 200 offline records."""
    base = server.base + "/workbench/"
    b.go(base + f"#b/{gtin}/{lot}", ready="#chain")
    b.el("#code-count").clear()
    b.el("#code-count").send_keys("5000")
    b.el("#issue-codes").click()
    issued = b.el("#issued", 300)
    print(f"figure: 5000 codes signed and uploaded in {issued.get_attribute('data-seconds')} s "
          f"(signing {issued.get_attribute('data-signing-seconds')} s)")
    b.offline(True)
    b.wait(lambda: "离线" in b.text("#net"))
    made = b.script("""
      const keys = await import('/workbench/js/keys.js'), q = await import('/workbench/js/queue.js');
      const db = await import('/workbench/js/db.js'), { seal, localTime } = await import('/workbench/js/envelope.js');
      const [gtin, lot, head] = args; const key = await keys.current(); const party = await db.get('kv', 'party');
      let prev = head;
      for (let i = 0; i < 200; i++) {
        const record = { kind: 'event', v: 1, type: 'care', actor: party.id, batch: { gtin, lot }, prev, time: localTime(), data: { activity: 'irrigation', note: 'n' + i } };
        const { envelope, id } = await seal(record, key);
        await q.enqueue({ endpoint: '/api/v1/records', body: envelope, id, batch: gtin + '/' + lot, prev, label: 'care', kind: 'event' });
        prev = id;
      }
      return prev;""", gtin, lot, server.json(f"/01/{gtin}/10/{lot}")[1]["events"][-1]["id"])
    started = time.monotonic()
    b.offline(False)
    b.wait(lambda: b.script("return (await (await import('/workbench/js/queue.js')).entries()).filter(e => e.status === 'queued').length") == 0, 300)
    print(f"figure: 200 offline records drained in {time.monotonic() - started:.2f} s")
    status, chain = server.json(f"/01/{gtin}/10/{lot}")
    check(chain["events"][-1]["id"] == made, "the drained queue's last record is the chain's head")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a crash is a failure with its reason, not a traceback alone
        import traceback
        traceback.print_exc()
        failed += 1
    print(f"workbench: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
