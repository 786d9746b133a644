// FIDOKit dashboard: the only script. It drives navigator.credentials for security keys and
// biometrics, and polls push approvals. Everything else is plain HTML forms.
"use strict";

(function () {
  const csrf = () => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const error = new Error((json.error && json.error.message) || "The request failed.");
      error.code = json.error && json.error.code;
      throw error;
    }
    return json;
  }

  function showError(message) {
    const box = document.getElementById("webauthn-error");
    if (box) {
      box.textContent = message;
      box.classList.remove("hidden");
    }
  }

  function describe(error) {
    if (error && error.name === "NotAllowedError") return "The security key or device did not confirm (cancelled, timed out, or not verified).";
    if (error && error.name === "InvalidStateError") return "This security key or device is registered already.";
    return (error && error.message) || "Something went wrong.";
  }

  async function signIn(button) {
    button.disabled = true;
    try {
      const options = await api("POST", "/api/mfa/webauthn/options");
      const credential = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
      });
      await api("POST", "/api/mfa/webauthn/verify", credential.toJSON());
      window.location.assign("/profile");
    } catch (error) {
      showError(describe(error));
      button.disabled = false;
    }
  }

  async function enroll(button) {
    button.disabled = true;
    try {
      const attachment = button.dataset.attachment;
      const options = await api("POST", "/api/me/factors/webauthn/options", { attachment });
      const credential = await navigator.credentials.create({
        publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
      });
      const nameField = button.dataset.nameField && document.getElementById(button.dataset.nameField);
      const name = nameField ? nameField.value : "";
      const enrolled = await api(
        "POST",
        "/api/me/factors/webauthn/verify" + (name ? "?name=" + encodeURIComponent(name) : ""),
        credential.toJSON()
      );
      if (enrolled.recoveryCode) {
        const box = document.getElementById("webauthn-recovery-box");
        document.getElementById("webauthn-recovery-code").textContent = enrolled.recoveryCode;
        box.classList.remove("hidden");
        const done = document.createElement("a");
        done.href = "/profile";
        done.id = "recovery-saved";
        done.textContent = "I have saved it";
        box.appendChild(done);
        button.disabled = false;
      } else {
        window.location.assign("/profile");
      }
    } catch (error) {
      // Adding a second factor needs a recent second factor: the "confirm it's you" page.
      if (error.code === "step_up_required") {
        window.location.assign("/profile/step-up");
        return;
      }
      showError(describe(error));
      button.disabled = false;
    }
  }

  function pollPush(element) {
    const state = document.getElementById("push-state");
    const tick = async () => {
      try {
        const status = await api("GET", element.dataset.pushPoll);
        if (status.status === "approved") {
          window.location.assign("/profile");
          return;
        }
        if (status.status === "denied" || status.status === "expired") {
          state.textContent = status.status === "denied" ? "The request was denied." : "The request expired.";
          state.classList.add("error");
          return;
        }
      } catch (error) {
        state.textContent = describe(error);
        return;
      }
      window.setTimeout(tick, 1000);
    };
    window.setTimeout(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll('[data-webauthn="signin"]')) {
      button.addEventListener("click", () => signIn(button));
    }
    for (const button of document.querySelectorAll('[data-webauthn="enroll"]')) {
      button.addEventListener("click", () => enroll(button));
    }
    const push = document.querySelector("[data-push-poll]");
    if (push) pollPush(push);
  });
})();
