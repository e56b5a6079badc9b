"""The web UI in a real browser: headless Chromium from Debian driven by Playwright, against a real
`hookline serve` on a fresh SQLite file and a real loopback receiver. Run by scripts/ui-test."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import expect, sync_playwright

HOOKLINE = os.environ.get("HOOKLINE_BIN", ".build/debug/hookline")
CHROMIUM = os.environ.get("HOOKLINE_CHROMIUM", "/usr/bin/chromium")
ADMIN = "ui-test-admin"


def start(args, env=None):
    """A child whose first line naming a port is read; returns (process, port)."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})})
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise RuntimeError(f"{args[1]} exited")
        match = re.search(r"port (\d+)|:(\d+)\b", line)
        if match:
            return process, int(match.group(1) or match.group(2))
    raise RuntimeError(f"{args[1]} did not say its port")


def api(base, method, path, key, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read().decode()
        return json.loads(text) if text else None


def wait_for(condition, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def main():
    work = tempfile.mkdtemp(prefix="hookline-ui-")
    receiver, receiver_port = start([HOOKLINE, "bench-receiver", "--port", "0"])
    server = subprocess.Popen(
        [HOOKLINE, "serve", "--db", f"{work}/hookline.sqlite", "--host", "127.0.0.1", "--port", "0", "--log-level", "info"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "HOOKLINE_ADMIN_KEY": ADMIN, "HOOKLINE_ALLOW_PRIVATE_DESTINATIONS": "1"})
    try:
        port = None
        deadline = time.time() + 60
        while port is None and time.time() < deadline:
            line = server.stdout.readline()
            match = re.search(r"127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match.group(1))
        assert port, "the server did not say its port"
        base = f"http://127.0.0.1:{port}"
        key = api(base, "POST", "/v1/accounts", ADMIN, {"name": "Acme Motors"})["api_key"]
        api(base, "POST", "/v1/users", key, {"email": "ann@example.com", "password": "correct horse", "role": "admin"})
        webhook = api(base, "POST", "/v1/webhooks", key, {
            "name": "Sales CRM", "url": f"http://127.0.0.1:{receiver_port}/crm", "triggers": ["call.begin"],
            "template": {"format": "json", "body": '{"id": "%callid%", "phone": "%ani%"}'}})["id"]
        location = api(base, "POST", "/v1/locations", key, {"location_name": "Springwood Ford", "location_address_city": "Springwood"})["id"]
        campaign = api(base, "POST", "/v1/campaigns", key, {"name": "Radio spring", "kind": "offline", "tracking_numbers": ["7774839229"]})["id"]
        tv = api(base, "POST", "/v1/campaigns", key, {"name": "TV autumn", "kind": "dni", "tracking_numbers": ["7774830000"]})["id"]
        recordings = api(base, "POST", "/v1/webhooks", key, {
            "name": "Recordings CRM", "url": f"http://127.0.0.1:{receiver_port}/recordings", "triggers": ["call.end"],
            "template": {"format": "json", "body": '{"id": "%callid%", "link": "%rec_audiourl%"}'}})["id"]
        api(base, "POST", "/v1/calls", key, {"callid": "call-ui-1", "ani": "79990009911"})
        wait_for(lambda: api(base, "GET", "/v1/deliveries", key)["data"][0]["status"] == "delivered", "the delivery")

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for width, height in [(1280, 900), (390, 844)]:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.set_default_timeout(30_000)

                # A page asked for before signing in leads to the sign-in page, and back after it.
                page.goto(base + "/deliveries")
                expect(page).to_have_url(re.compile(r"/sign-in\?next="))
                page.fill("#email", "ann@example.com")
                page.fill("#password", "wrong horse!")
                page.click("button[type=submit]")
                expect(page.locator("#password-error")).to_have_text("Wrong email or password.")
                expect(page.locator("#email")).to_have_value("ann@example.com")
                page.fill("#password", "correct horse")
                page.click("button[type=submit]")
                expect(page).to_have_url(base + "/deliveries")
                expect(page.locator("header")).to_contain_text("ann@example.com")

                # The log, filtered by status, then a delivery with its request and answer.
                expect(page.locator("table.deliveries tbody tr")).to_have_count(1)
                page.select_option("select[name=status]", "dead")
                page.click("form.filters button")
                expect(page.locator(".empty")).to_contain_text("No deliveries match these filters")
                page.select_option("select[name=status]", "")
                page.click("form.filters button")
                page.locator("table.deliveries tbody tr").first.locator("a").first.click()
                expect(page.locator("h3").first).to_contain_text("Attempt")
                expect(page.locator("pre.body").first).to_contain_text('"phone": "79990009911"')
                attempts = page.locator("article.attempt").count()
                page.click("text=Replay")
                expect(page.locator(".flash")).to_contain_text("Replay queued")
                wait_for(lambda: len(api(base, "GET", f"/v1/deliveries/{page.url.split('/')[-1].split('?')[0]}", key)["attempts"]) > attempts,
                         "the replay")

                # A webhook's page: health, and disabling it from there.
                page.click("nav >> text=Webhooks")
                page.click("text=Sales CRM")
                expect(page.locator("#health")).to_be_visible()
                expect(page.locator(".badge.healthy")).to_be_visible()
                page.click("button:has-text('Disable')")
                expect(page.locator(".badge.off")).to_be_visible()
                assert api(base, "GET", f"/v1/webhooks/{webhook}", key)["enabled"] is False
                page.click("button:has-text('Enable')")
                expect(page.locator("button:has-text('Disable')")).to_be_visible()
                expect(page.locator("svg.chart rect.ok").first).to_be_visible()
                page.fill("input[name=subject]", "call-ui-1")
                page.click("button:has-text('Preview')")
                expect(page.locator("#preview-body")).to_contain_text('"phone": "79990009911"')
                page.click("button:has-text('Send test')")
                expect(page.locator("#test-result")).to_be_visible()
                expect(page.locator("article.attempt")).to_contain_text("200")

                # The Add Webhook wizard, Create Template: a broken example is caught on Next with
                # its line and column; then fields map to tokens, a header row is added with "+".
                if width == 1280:
                    page.click("nav >> text=Webhooks")
                    page.click("text=Add Webhook")
                    expect(page.locator("#template_name")).to_be_hidden()
                    page.check("input[name=mode][value=create]")
                    expect(page.locator("#template_name")).to_be_visible()
                    expect(page.locator("#template")).to_be_hidden()
                    page.fill("#name", "Dealer CRM")
                    page.fill("#url", f"http://127.0.0.1:{receiver_port}/dealer")
                    page.fill("#template_name", "Dealer lead")
                    page.fill("#template_group", "Dealers")
                    page.fill("#template_example", '{"first": "Freddy",\n "phone": }')
                    page.click("button:has-text('Next')")
                    expect(page.locator("#template_example-error")).to_contain_text("line 2, column")
                    page.fill("#template_example", '{"first": "Freddy", "phone": "7776734736"}')
                    page.click("button:has-text('Next')")
                    page.select_option("select[name='map.$.first']", "ani_first_name")
                    page.select_option("select[name='map.$.phone']", "ani")
                    page.click("button:has-text('Next')")
                    page.fill("input[name=header_name] >> nth=0", "X-Dealer")
                    page.fill("input[name=header_value] >> nth=0", "42")
                    page.click("#add-header")
                    expect(page.locator(".header-row")).to_have_count(2)
                    page.fill("input[name=header_name] >> nth=1", "X-Region")
                    page.fill("input[name=header_value] >> nth=1", "south")
                    expect(page.locator("#success_other")).to_be_hidden()
                    page.select_option("#success_code", "other")
                    expect(page.locator("#success_other")).to_be_visible()
                    page.fill("#success_other", "200, 202")
                    page.click("button:has-text('Next')")
                    expect(page.locator("dl.summary")).to_contain_text("%ani_first_name%")
                    expect(page.locator("dl.summary")).to_contain_text("X-Region")
                    page.click("button:has-text('Finish')")
                    expect(page.locator("h1")).to_have_text("Dealer CRM")
                    created = [w for w in api(base, "GET", "/v1/webhooks", key)["data"] if w["name"] == "Dealer CRM"][0]
                    assert created["headers"] == {"X-Dealer": "42", "X-Region": "south"}, created["headers"]
                    assert created["success_codes"] == [200, 202], created["success_codes"]

                # A location's Webhook Management tab, and a campaign enabling a webhook at the
                # beginning of the call; the webhook's page says where it goes.
                page.click("nav >> text=Locations")
                page.click("text=Springwood Ford")
                expect(page.locator("nav.tabs a[aria-current=page]")).to_have_text("Webhook Management")
                expect(page.locator("a:has-text('Add Webhook')")).to_have_attribute("href", f"/webhooks/new?location={location}")
                # Seed 004's campaign flow: the CRM webhook at the beginning of Radio's calls and
                # at the end of TV's; each keeps its moment, and removing one widens nothing.
                page.click("nav >> text=Campaigns")
                page.click("text=Radio spring")
                page.select_option("#webhook_id", label="Sales CRM")
                page.check("input[name=moment][value=beginning]")
                page.click("button:has-text('Enable on this campaign')")
                expect(page.locator("#enabled")).to_contain_text("Sales CRM")
                expect(page.locator("#enabled")).to_contain_text("beginning of call")
                page.goto(f"{base}/campaigns/{tv}")
                page.select_option("#webhook_id", label="Sales CRM")
                page.check("input[name=moment][value=end]")
                page.click("button:has-text('Enable on this campaign')")
                expect(page.locator("#enabled")).to_contain_text("end of call")
                page.click("#enabled >> text=Sales CRM")
                expect(page.locator("#scope")).to_contain_text("campaign Radio spring · beginning of call")
                expect(page.locator("#scope")).to_contain_text("campaign TV autumn · end of call")
                placed = api(base, "GET", f"/v1/webhooks/{webhook}/placements", key)["data"]
                assert [(p["campaign"], p["moment"]) for p in placed] == [(campaign, "beginning"), (tv, "end")], placed
                page.goto(f"{base}/campaigns/{campaign}")
                page.click("#enabled button:has-text('Remove')")
                expect(page.locator(".empty")).to_contain_text("None yet")
                page.goto(f"{base}/webhooks/{webhook}")
                expect(page.locator("#scope")).to_contain_text("campaign TV autumn · end of call")
                expect(page.locator("#scope")).not_to_contain_text("Radio spring")
                expect(page.locator("#scope")).not_to_contain_text("every call")
                page.goto(f"{base}/campaigns/{tv}")
                page.click("#enabled button:has-text('Remove')")
                expect(page.locator(".empty")).to_contain_text("None yet")
                page.goto(f"{base}/webhooks/{webhook}")
                expect(page.locator("#scope")).to_contain_text("enabled on no campaign")

                # The call's timeline, with the recording that arrived after it.
                api(base, "PATCH", "/v1/calls/call-ui-1", key, {"rec_audiourl": f"https://rec.example/{width}.mp3"})
                page.goto(f"{base}/calls/call-ui-1")
                expect(page.locator("ol.timeline li").first).to_contain_text("Call began")
                expect(page.locator("ol.timeline")).to_contain_text("Call updated")
                expect(page.locator("ol.timeline ul.changes").last).to_contain_text(f"https://rec.example/{width}.mp3")

                # The edit form holds a webhook's call end until the recording, up to N minutes (once,
                # last: the held call's deliveries would join the log the other width starts from).
                if width == 390:
                    page.goto(f"{base}/webhooks/{recordings}/edit")
                    page.check("#hold")
                    page.fill("#hold_minutes", "10")
                    page.click("button:has-text('Save')")
                    expect(page.locator("h1")).to_have_text("Recordings CRM")
                    assert api(base, "GET", f"/v1/webhooks/{recordings}", key)["hold"] == {"until": ["rec_audiourl"], "max_seconds": 600}
                    call = f"call-ui-hold-{width}"
                    api(base, "POST", "/v1/calls", key, {"callid": call, "ani": "79990009911"})
                    api(base, "POST", f"/v1/calls/{call}/end", key, {"dialstatus": "ANSWER"})
                    page.goto(f"{base}/deliveries")
                    page.select_option("select[name=status]", "held")
                    page.click("form.filters button")
                    expect(page.locator("table.deliveries tbody tr")).to_have_count(1)
                    expect(page.locator("table.deliveries .held-for")).to_contain_text("waiting for rec_audiourl")
                    api(base, "PATCH", f"/v1/calls/{call}", key, {"rec_audiourl": f"https://rec.example/{call}.mp3"})
                    wait_for(lambda: api(base, "GET", f"/v1/deliveries?webhook_id={recordings}&call_id={call}", key)["data"][0]["status"] == "delivered",
                             "the released end")

                # Tokens: the search narrows the catalogue as one types.
                page.click("nav >> text=Tokens")
                total = page.locator("tr.token-row:visible").count()
                page.fill("#token-search", "utm")
                expect(page.locator("#token-count")).to_contain_text("tokens match")
                shown = page.locator("tr.token-row:visible").count()
                assert 0 < shown < total, (shown, total)
                expect(page.locator("tr.token-row:visible").first).to_contain_text("utm")

                # Users: a field error beside its field; then a new member.
                page.click("nav >> text=Users")
                email = f"member{width}@example.com"
                page.fill("#new-email", email)
                page.fill("#new-password", "short")
                page.click("button:has-text('Add user')")
                expect(page.locator("#password-error")).to_contain_text("10 to 72 characters")
                expect(page.locator("#new-email")).to_have_value(email)
                page.fill("#new-password", "a long enough password")
                page.click("button:has-text('Add user')")
                expect(page.locator("table.list")).to_contain_text(email)

                # A json source: the example's fields listed to map, then its address once.
                page.click("nav >> text=Sources")
                page.fill("#source-name", f"Tracker {width}")
                page.select_option("#source-kind", "json")
                page.fill("#source-example", '{"type": "call_started", "call": {"id": 5, "from": "555"}, "agent": "Anna"}')
                page.click("button:has-text('Add source')")
                expect(page.locator("#json-rules")).to_contain_text("$.call.from")
                expect(page.locator("#id_path")).to_have_value("$.call.id")
                page.select_option("select[name='map.$.call.from']", "ani")
                page.fill("#rule\\.call\\.begin", "call_started")
                page.fill("#rule\\.call\\.end", "call_started")
                page.click("#json-rules button:has-text('Add source')")
                expect(page.locator("#json-rules .field-error").first).to_contain_text("already means call.begin")
                page.fill("#rule\\.call\\.end", "call_ended")
                page.click("#json-rules button:has-text('Add source')")
                expect(page.locator("#new-address")).to_contain_text("/in/in_")
                expect(page.locator("table.list")).to_contain_text(f"Tracker {width}")

                # Nothing overflows the viewport sideways.
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{overflow}px wider than a {width}px window"

                # The webhooks list, with each one's trouble, queue and last error, fits too.
                page.goto(base + "/webhooks")
                expect(page.locator("table.list")).to_contain_text("waiting")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"the webhooks list is {overflow}px wider than a {width}px window"
                # The log filtered to delivered deliveries offers to replay them; the replay's page
                # follows the job to its end.
                page.goto(f"{base}/deliveries?webhook_id={webhook}&status=delivered")
                expect(page.locator("#replay-count")).not_to_have_text("0")
                page.click("button:has-text('Replay these')")
                expect(page).to_have_url(re.compile(r"/replays/rpl_"))
                expect(page.locator("#replay-progress")).to_be_visible()
                expect(page.locator("#replay-count")).to_contain_text("replayed (100%)", timeout=60_000)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"the replay page is {overflow}px wider than a {width}px window"

                # Notifications: a channel added with the form, sent a test, the receiver's answer shown.
                page.goto(base + "/notifications")
                page.select_option("#channel-kind", "slack")
                page.fill("#channel-name", f"Alerts {width}")
                page.fill("#channel-url", "not a url")
                page.click("button:has-text('Add channel')")
                expect(page.locator("#url-error")).to_be_visible()
                page.fill("#channel-url", f"http://127.0.0.1:{receiver_port}/slack")
                page.click("button:has-text('Add channel')")
                expect(page.locator("table.list")).to_contain_text(f"Alerts {width}")
                page.locator("tr", has_text=f"Alerts {width}").locator("button:has-text('Send test')").click()
                expect(page.locator("body")).to_contain_text("the receiver answered HTTP 200")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"the notifications page is {overflow}px wider than a {width}px window"

                page.goto(f"{base}/webhooks/{webhook}/edit")
                expect(page.locator("#rate_requests")).to_be_visible()
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"the edit form is {overflow}px wider than a {width}px window"

                page.click("button:has-text('Sign out')")
                expect(page).to_have_url(base + "/sign-in")
                page.goto(base + "/webhooks")
                expect(page).to_have_url(re.compile(r"/sign-in"))
                page.close()
            browser.close()
        print("ui-test: passed at 1280 and 390 px")
    finally:
        for child in (server, receiver):
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        # The server's database: each run makes its own.
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
