// The trainer's check-in screen: fetch a fresh signed token (QR) and 6-digit code every few seconds.
// The first code is rendered by the server, so the page shows one before this runs.
const screen = document.querySelector("[data-checkin]");

if (screen) {
  const endpoint = screen.dataset.endpoint;
  const every = Math.max(3, Number(screen.dataset.rotate) || 10) * 1000;
  const qr = screen.querySelector("[data-qr]");
  const code = screen.querySelector("[data-code]");
  const count = screen.querySelector("[data-count]");
  const status = screen.querySelector("[data-status]");
  const link = screen.querySelector("[data-url]");
  const normal = status.textContent;
  let timer = null;

  const refresh = async () => {
    try {
      const response = await fetch(endpoint, { credentials: "same-origin", cache: "no-store",
                                               headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      if (!data.open) {
        clearInterval(timer);
        screen.classList.add("cr-closed");
        qr.hidden = true;
        code.textContent = "";
        status.textContent = "签到已结束";
        return;
      }
      qr.src = data.qr;
      code.textContent = data.code;
      count.textContent = String(data.attended);
      link.href = data.url;
      link.textContent = data.url;
      status.textContent = normal;
    } catch {
      status.textContent = "网络不稳定，正在重试…";
    }
  };

  timer = setInterval(refresh, every);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
}
