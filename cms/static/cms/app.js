/* The installable app: register the service worker (at the site root, so it may keep any page). */
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* not installable here */ });
  });
}
