#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""enroll_browser.py - a member's visit to an enrollment link in a real
browser (headless Chromium through chromedriver), for
tests/integration/enroll_browser.sh.

    enroll_browser.py URL --ua UA --lang ja|en --expect apple|eap
                      --downloads DIR [--screenshot FILE] [--timeout S]
    enroll_browser.py URL --ua UA --lang ja|en --lost SERIAL [--timeout S]

Opens URL as a device with that User-Agent and Accept-Language, checks
that the landing page's language and its one primary action (a POST form
with platform=EXPECT) are the expected ones, saves a screenshot, presses
the button and waits for the download to arrive whole in DIR. Prints the
downloaded file's path and exits 0, or prints what went wrong and exits 1.
With --lost, it presses the "lost" button of the device SERIAL on the
member's page instead, then the confirmation page's button, and checks
that the answer names that device as revoked; prints "revoked".
Loopback URLs only.
"""
import argparse
import base64
import os
import sys
import time
from urllib.parse import urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def fail(msg):
    print(msg)
    sys.exit(1)


def browser(args):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=430,900", "--no-first-run", "--disable-extensions",
              "--disable-background-networking", "--disable-sync", "--disable-component-update",
              "--lang=" + args.lang):
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {
        "intl.accept_languages": args.lang,
        "download.default_directory": args.downloads,
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.set_page_load_timeout(args.timeout)
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": args.ua, "acceptLanguage": args.lang})
    d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": args.downloads})
    return d


def wait_download(directory, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        names = [n for n in os.listdir(directory) if not n.endswith(".crdownload")]
        partial = [n for n in os.listdir(directory) if n.endswith(".crdownload")]
        if names and not partial:
            return os.path.join(directory, names[0])
        time.sleep(0.2)
    fail("no download within %d s (in %s: %s)" % (timeout, directory, os.listdir(directory)))


def post_form(d, action, fields, timeout):
    """The one POST form whose action ends in action and whose hidden inputs hold fields
    (waited for up to timeout seconds: a slow server, e.g. a sanitizer build, may still be answering)."""
    end = time.monotonic() + timeout
    while True:
        found = []
        for f in d.find_elements(By.CSS_SELECTOR, "form[action$='/%s']" % action):
            have = {i.get_attribute("name"): i.get_attribute("value")
                    for i in f.find_elements(By.CSS_SELECTOR, "input[type=hidden]")}
            if all(have.get(k) == v for k, v in fields.items()):
                found.append(f)
        if len(found) == 1 or time.monotonic() > end:
            break
        time.sleep(0.2)
    if len(found) != 1:
        fail("%d '%s' forms with %r on %s, expected one" % (len(found), action, fields, d.current_url))
    if found[0].get_attribute("method").lower() != "post":
        fail("the '%s' form is not a POST form" % action)
    return found[0]


def submit(d, form, timeout):
    """Press the form's button and wait until the answer has replaced the page."""
    old = d.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(d, timeout).until(EC.staleness_of(old))
    WebDriverWait(d, timeout).until(lambda drv: drv.execute_script("return document.readyState") == "complete")


def report_lost(d, serial, timeout):
    """Lost, then the confirmation: the device's certificate is revoked."""
    submit(d, post_form(d, "lost", {"serial": serial}, timeout), timeout)
    submit(d, post_form(d, "lost", {"serial": serial, "confirm": "yes"}, timeout), timeout)
    body = d.find_element(By.TAG_NAME, "body").text
    if serial not in body or not ("revoked" in body or "無効にしました" in body):
        fail("the answer does not say %s is revoked: %r" % (serial, body[:300]))
    print("revoked")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--ua", required=True)
    p.add_argument("--lang", required=True, choices=("ja", "en"))
    p.add_argument("--expect", choices=("apple", "eap", "windows", "linux"))
    p.add_argument("--downloads")
    p.add_argument("--lost", metavar="SERIAL")
    p.add_argument("--screenshot")
    p.add_argument("--timeout", type=int, default=30)
    args = p.parse_args()
    host = urlparse(args.url).hostname or ""
    if not (host.startswith("127.") or host in ("localhost", "::1")):
        fail("enroll_browser.py: loopback URLs only")
    if args.lost is None and (args.expect is None or args.downloads is None):
        p.error("--expect and --downloads, or --lost")
    if args.downloads is None:
        args.downloads = os.path.join(os.getcwd(), "downloads-unused")
    os.makedirs(args.downloads, exist_ok=True)
    d = browser(args)
    try:
        d.get(args.url)
        lang = d.find_element(By.TAG_NAME, "html").get_attribute("lang")
        if lang != args.lang:
            fail("the page is in %r, expected %r" % (lang, args.lang))
        if args.lost is not None:
            report_lost(d, args.lost, args.timeout)
            return
        forms = [f for f in d.find_elements(By.CSS_SELECTOR, "form[action$='/enroll']")]
        if len(forms) != 1:
            fail("%d enroll forms on the landing page, expected one" % len(forms))
        form = forms[0]
        if form.get_attribute("method").lower() != "post":
            fail("the primary action is not a POST form")
        plat = form.find_element(By.CSS_SELECTOR, "input[name=platform]").get_attribute("value")
        if plat != args.expect:
            fail("the primary action is for %r, expected %r" % (plat, args.expect))
        if args.screenshot:
            # The whole page, not just the window: Chromium's own full-page capture.
            width = d.execute_script(
                "return Math.max(document.documentElement.scrollWidth, window.innerWidth)")
            height = d.execute_script("return document.documentElement.scrollHeight")
            shot = d.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
            with open(args.screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        print(wait_download(args.downloads, args.timeout))
    finally:
        d.quit()


main()
