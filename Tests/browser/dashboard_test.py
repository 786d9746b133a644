"""Real-browser tests of the mfa-server pages: Debian's Chromium driven by Selenium, with
Chromium's WebAuthn virtual authenticators (a CTAP2 USB security key, an internal platform
authenticator with user verification, a U2F key), the SMS file provider and `fidoctl
push-device` as the phone. Nothing is downloaded: the driver path is given, Selenium Manager
is off. Screenshots of every page land in FIDOKIT_SCREENSHOTS (default
.build/browser-screenshots). Run by scripts/browser-tests.sh (part of scripts/test.sh)."""

import base64
import hashlib
import hmac
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("FIDOKIT_BIN", os.path.join(ROOT, ".build", "debug"))
SCREENSHOTS = os.environ.get("FIDOKIT_SCREENSHOTS", os.path.join(ROOT, ".build", "browser-screenshots"))
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "browser-test admin password"
MEMBER_PASSWORD = "member password 123"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def totp(secret_base32, at, step=30, digits=6):
    """RFC 6238 TOTP (SHA-1) at Unix time `at`, as an authenticator app computes it."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = int(at // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def enrollment_and_next_codes(secret_base32, step=30):
    """This step's code for an enrollment and the next step's for the sign-in after it (an
    enrolled step cannot sign in again). The server accepts one step either side of its own, so
    they stay valid for at least 30 s and 60 s: a slow run does not see them expire."""
    now = time.time()
    return totp(secret_base32, now), totp(secret_base32, now + step)


class Server:
    """mfa-server on a free port with a fresh data folder."""

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="fidokit-browser-")
        self.port = free_port()
        self.origin = f"http://localhost:{self.port}"
        password_file = os.path.join(self.directory, "admin-password")
        with open(password_file, "w") as f:
            f.write(ADMIN_PASSWORD)
        os.chmod(password_file, 0o600)  # mfa-server refuses a password file others can read
        self.outbox = os.path.join(self.directory, "sms-outbox.jsonl")
        self.process = subprocess.Popen(
            [os.path.join(BIN, "mfa-server"), "--port", str(self.port), "--data-directory", self.directory,
             "--admin-email", ADMIN_EMAIL, "--admin-password-file", password_file,
             "--origin", self.origin, "--sms-resend-interval", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if "listening on" in line:
                return
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError("mfa-server did not start")

    def sms_codes(self):
        if not os.path.exists(self.outbox):
            return []
        with open(self.outbox) as f:
            return [json.loads(line)["body"][:6] for line in f if line.strip()]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


class Phone:
    """fidoctl push-device: the simulated phone."""

    def __init__(self, directory):
        self.state = os.path.join(directory, f"phone-{time.time_ns()}.json")

    def run(self, *arguments):
        result = subprocess.run([os.path.join(BIN, "fidoctl"), "push-device", *arguments, "--state", self.state],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise AssertionError(f"fidoctl push-device {arguments[0]} failed: {result.stderr}")
        return json.loads(result.stdout)


class DashboardTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=412,915"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)
        # Pages reload under the script (after an enrollment): elements read mid-reload are retried.
        self.wait = WebDriverWait(self.driver, 15, ignored_exceptions=(StaleElementReferenceException,))

    def tearDown(self):
        self.driver.quit()

    # Helpers --------------------------------------------------------------------------------

    def shot(self, name):
        path = os.path.join(SCREENSHOTS, f"{self.id().split('.')[-1]}-{name}.png")
        self.driver.save_screenshot(path)

    def open(self, path):
        self.driver.get(self.server.origin + path)

    def by_id(self, element_id):
        return self.wait.until(EC.presence_of_element_located((By.ID, element_id)))

    def click(self, element_id):
        self.wait.until(EC.element_to_be_clickable((By.ID, element_id))).click()

    def type(self, element_id, text):
        field = self.by_id(element_id)
        field.clear()
        field.send_keys(text)

    def at(self, path):
        self.wait.until(lambda d: d.current_url.split("?")[0] == self.server.origin + path)

    def add_authenticator(self, protocol="ctap2", transport="usb", resident=False, uv=False):
        return self.driver.add_virtual_authenticator(VirtualAuthenticatorOptions(
            protocol=protocol, transport=transport, has_resident_key=resident, has_user_verification=uv,
            is_user_consenting=True, is_user_verified=uv))

    def sign_in(self, email, password):
        """Signs in with a password and waits for the next page (the profile, the MFA page, or
        the sign-in page again with an error)."""
        self.open("/signin")
        self.type("email", email)
        self.type("password", password)
        self.click("signin")
        self.wait.until(lambda d: d.current_url.split("?")[0] != self.server.origin + "/signin"
                        or d.find_elements(By.ID, "error"))

    def sign_out(self):
        self.wait.until(EC.element_to_be_clickable((By.XPATH, "//form[@action='/signout']/button"))).click()
        self.at("/signin")

    def new_member(self):
        """A member added by the admin through the Members page."""
        email = f"member{time.time_ns()}@example.com"
        self.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        self.at("/profile")
        self.open("/tenant/members")
        self.type("member-email", email)
        self.type("member-name", "Test Member")
        self.type("member-password", MEMBER_PASSWORD)
        self.click("add-member")
        self.assertIn("added", self.by_id("notice").text)
        self.sign_out()
        return email

    def enroll_totp(self):
        """Enrolls an authenticator app; returns a code that signs in once."""
        self.click("enroll-totp")
        secret = self.by_id("totp-secret").text
        self.shot("totp-setup")
        enrollment, next_code = enrollment_and_next_codes(secret)
        self.type("totp-confirm-code", enrollment)
        self.click("totp-confirm")
        self.assertIn("Authenticator app added", self.by_id("notice").text)
        return next_code

    def factor_kinds(self):
        """The kinds of the factors listed, read in one script: a page that reloads under the test
        is read whole or not at all (element by element, Chromium may drop a node mid-read)."""
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('li.factor'), e => e.dataset.kind)")

    def text_of(self, element_id):
        """An element's text, read in one script ('' while it is not on the page)."""
        return self.driver.execute_script(
            "const e = document.getElementById(arguments[0]); return e ? e.innerText : ''", element_id)

    # Tests ----------------------------------------------------------------------------------

    def test_security_key_enrolls_and_signs_in_and_recovery_code_replaces_itself(self):
        email = self.new_member()
        self.add_authenticator("ctap2", "usb")
        self.sign_in(email, MEMBER_PASSWORD)
        self.at("/profile")
        self.shot("profile-empty")
        self.click("enroll-security-key")
        code = self.wait.until(lambda d: self.text_of("webauthn-recovery-code"))
        self.assertGreaterEqual(len(code.replace("-", "").replace(" ", "")), 24)
        self.shot("recovery-code-once")
        self.click("recovery-saved")
        self.wait.until(lambda d: self.factor_kinds() == ["webauthn-roaming"])
        self.sign_out()

        self.sign_in(email, MEMBER_PASSWORD)
        self.at("/mfa")
        self.shot("mfa-choose")
        self.click("webauthn-signin")
        self.at("/profile")

        # The recovery code signs in once and is replaced, which the page says.
        self.sign_out()
        self.sign_in(email, MEMBER_PASSWORD)
        self.at("/mfa")
        self.type("recovery-code-input", code)
        self.click("recovery-submit")
        self.at("/profile")
        replacement = self.by_id("recovery-code").text
        self.assertNotEqual(replacement, code)
        self.assertIn("recovery code", self.by_id("notice").text)
        self.shot("recovery-code-replaced")
        self.sign_out()
        self.sign_in(email, MEMBER_PASSWORD)
        self.type("recovery-code-input", code)
        self.click("recovery-submit")
        self.assertIn("wrong", self.by_id("error").text)

    def test_platform_authenticator_only_after_another_factor(self):
        email = self.new_member()
        self.add_authenticator("ctap2", "internal", resident=True, uv=True)
        self.sign_in(email, MEMBER_PASSWORD)
        self.at("/profile")
        # Not offered, and refused by the server when asked directly.
        self.assertEqual(self.driver.find_elements(By.ID, "enroll-platform"), [])
        self.by_id("platform-unavailable")
        status = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/api/me/factors/webauthn/options', {method: 'POST', headers: {'Content-Type': 'application/json',
              'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content},
              body: JSON.stringify({attachment: 'platform'})})
              .then(r => r.json().then(j => done([r.status, j.error && j.error.code])));""")
        self.assertEqual(status, [409, "platform_authenticator_needs_another_factor"])

        sign_in_code = self.enroll_totp()
        self.click("enroll-platform")
        self.wait.until(lambda d: "webauthn-platform" in self.factor_kinds())
        self.shot("profile-two-factors")

        # Sign in with the authenticator app, then with biometrics.
        self.sign_out()
        self.sign_in(email, MEMBER_PASSWORD)
        self.at("/mfa")
        self.type("totp-code", sign_in_code)
        self.click("totp-submit")
        self.at("/profile")
        self.sign_out()
        self.sign_in(email, MEMBER_PASSWORD)
        self.click("webauthn-signin")
        self.at("/profile")

    def test_u2f_key_enrolls_and_signs_in(self):
        email = self.new_member()
        self.add_authenticator("ctap1/u2f", "usb")
        self.sign_in(email, MEMBER_PASSWORD)
        self.click("enroll-security-key")
        self.wait.until(lambda d: self.text_of("webauthn-recovery-code"))
        self.click("recovery-saved")
        self.sign_out()
        self.sign_in(email, MEMBER_PASSWORD)
        self.click("webauthn-signin")
        self.at("/profile")

    def test_sms_through_the_file_provider(self):
        email = self.new_member()
        self.sign_in(email, MEMBER_PASSWORD)
        self.type("sms-phone", "+44 7700 900123")
        self.click("enroll-sms")
        self.assertIn("23", self.by_id("sms-sent").text)
        self.shot("sms-confirm")
        self.type("sms-confirm-code", self.server.sms_codes()[-1])
        self.click("sms-confirm")
        self.assertIn("Text message added", self.by_id("notice").text)
        self.sign_out()
        self.sign_in(email, MEMBER_PASSWORD)
        self.click("sms-send")
        self.by_id("sms-sent")
        self.type("sms-code", self.server.sms_codes()[-1])
        self.click("sms-submit")
        self.at("/profile")

    def test_push_with_the_device_simulator(self):
        email = self.new_member()
        phone = Phone(self.server.directory)
        self.sign_in(email, MEMBER_PASSWORD)
        self.click("enroll-push")
        uri = self.by_id("push-uri").text
        self.shot("push-enroll")
        self.assertTrue(phone.run("enroll", "--uri", uri, "--send")["deviceId"])
        self.click("push-done")
        self.wait.until(lambda d: "push" in self.factor_kinds())
        self.sign_out()

        self.sign_in(email, MEMBER_PASSWORD)
        self.click("push-start")
        number = self.by_id("push-number").text
        self.shot("push-number")
        reply = phone.run("approve", "--number", number, "--send")
        self.assertEqual(reply["outcome"], "approved")
        self.at("/profile")

    def test_removing_a_factor_changes_the_members_indicator(self):
        email = self.new_member()
        self.sign_in(email, MEMBER_PASSWORD)
        sign_in_code = self.enroll_totp()
        self.by_id("recovery-code")  # the first factor's recovery code, shown once
        self.sign_out()

        def indicator():
            self.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
            self.open("/tenant/members")
            row = self.by_id("members").find_element(By.CSS_SELECTOR, f"tr[data-email='{email}']")
            value = row.find_element(By.CSS_SELECTOR, ".mfa-indicator").get_attribute("data-mfa")
            self.shot(f"members-mfa-{value}")
            self.sign_out()
            return value

        self.assertEqual(indicator(), "on")
        self.sign_in(email, MEMBER_PASSWORD)
        self.at("/mfa")
        self.type("totp-code", sign_in_code)
        self.click("totp-submit")
        self.at("/profile")
        self.driver.find_element(By.CSS_SELECTOR, "li.factor[data-kind='otp'] button.remove").click()
        self.assertIn("Multi-factor authentication is now off", self.by_id("notice").text)
        self.assertEqual(self.by_id("mfa-status").text, "Off")
        self.sign_out()
        self.assertEqual(indicator(), "off")

    def test_tenant_settings_page(self):
        self.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        self.open("/tenant/settings")
        self.shot("settings")
        # SMS on the free plan is refused with the policy's message.
        self.driver.find_element(By.CSS_SELECTOR, "#plan option[value='free']").click()
        self.click("save-settings")
        self.assertIn("paid plan", self.by_id("error").text)
        self.driver.find_element(By.CSS_SELECTOR, "#plan option[value='paid']").click()
        self.click("save-settings")
        self.assertIn("saved", self.by_id("notice").text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
