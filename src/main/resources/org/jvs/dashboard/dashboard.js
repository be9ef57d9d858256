// The JVS dashboard: polls /dashboard/data.json every two seconds and draws it (uPlot for the charts).
// No build step: plain browser JavaScript, the DOM built with textContent only.
"use strict";

(function () {
    const POLL_MS = 2000;
    const CHART = { width: 330, height: 130 };
    const COLOURS = { in: "#2f6fd6", out: "#e07a18", conns: "#7b3fc4", drops: "#c62f2f" };
    const charts = new Map(); // chart id -> uPlot

    function si(value, unit) {
        const abs = Math.abs(value);
        const steps = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
        for (const [size, prefix] of steps) {
            if (abs >= size) {
                return (value / size).toFixed(abs / size >= 100 ? 0 : 1) + " " + prefix + unit;
            }
        }
        return (abs >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)) + (unit ? " " + unit : "");
    }
    const perSecond = (value) => si(value, "/s");
    const bytesPerSecond = (value) => si(value, "B/s");

    function el(tag, attrs, ...children) {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attrs || {})) {
            if (name === "class") {
                node.className = value;
            } else {
                node.setAttribute(name, value);
            }
        }
        for (const child of children) {
            node.append(child instanceof Node ? child : document.createTextNode(String(child)));
        }
        return node;
    }

    /** A figure the test and the reader can both read: the text, and the exact value in data-value. */
    function figure(series, value, format) {
        return el("output", { "data-series": series, "data-value": String(value) }, format(value));
    }

    function chart(id, target, series, xs, ys, format) {
        const data = [xs, ...ys];
        let plot = charts.get(id);
        if (plot && plot.root.isConnected) {
            plot.setData(data);
            return plot.root;
        }
        if (plot) {
            plot.destroy(); // its panel was drawn anew
        }
        plot = new uPlot({
            width: CHART.width,
            height: CHART.height,
            legend: { show: false },
            cursor: { show: false },
            scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max, 1) * 1.1] } },
            axes: [
                { size: 28, font: "11px system-ui", grid: { stroke: "#eef0f4" } },
                { size: 72, font: "11px system-ui", grid: { stroke: "#eef0f4" },
                  values: (u, values) => values.map((v) => format(v)) },
            ],
            series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 1.5,
                                                fill: s.colour + "22", points: { show: false } }))],
        }, data, target);
        charts.set(id, plot);
        return plot.root;
    }

    function captioned(title, figures, plotTarget) {
        const caption = el("figcaption", {}, title);
        for (const f of figures) {
            caption.append(" ", f);
        }
        return el("figure", { class: "chart" }, caption, plotTarget);
    }

    function seconds(timesMs) {
        return timesMs.map((t) => t / 1000);
    }

    function healthCell(server, checksRun) {
        const health = server.health;
        if (!health) {
            return el("td", { class: "unknown", title: checksRun ? "not checked by keepalived"
                : "the director runs no health checks (started without -f)" }, checksRun ? "not checked" : "—");
        }
        const at = new Date(health.sinceMs);
        const since = at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
        const text = (health.up ? "up" : "down") + " since " + since + (health.reason ? ": " + health.reason : "");
        return el("td", { class: health.up ? "up" : "down", "data-health": health.up ? "up" : "down" }, text);
    }

    function realServerRow(server, checksRun) {
        const r = server.rates;
        return el("tr", { "data-real-server": server.address + ":" + server.port },
            el("td", {}, server.address + ":" + server.port),
            el("td", {}, server.method),
            el("td", { class: "num" }, server.weight),
            healthCell(server, checksRun),
            el("td", { class: "num" }, server.activeConnections),
            el("td", { class: "num" }, server.inactiveConnections),
            el("td", { class: "num" }, perSecond(r.connections)),
            el("td", { class: "num" }, perSecond(r.inPackets) + " / " + perSecond(r.outPackets)),
            el("td", { class: "num" }, bytesPerSecond(r.inBytes) + " / " + bytesPerSecond(r.outBytes)),
            el("td", { class: "num" }, server.totals.connections));
    }

    function servicePanel(service, checksRun) {
        const id = service.key;
        const r = service.rates;
        const h = service.history;
        const xs = seconds(h.timeMs);
        const section = el("section", { class: "panel service", "data-key": service.key });
        section.append(el("h2", {}, service.key,
            el("span", { class: "meta" }, service.scheduler + " · " + service.activeConnections + " active, "
                + service.inactiveConnections + " inactive · " + service.totals.connections + " connections, "
                + si(service.totals.inPackets, "") + " packets in, " + si(service.totals.outPackets, "") + " out")));
        const row = el("div", { class: "chart-row" });
        const connTarget = el("div");
        const pktTarget = el("div");
        const byteTarget = el("div");
        row.append(
            captioned("connections/s", [figure("connections", r.connections, perSecond)], connTarget),
            captioned("packets/s in", [figure("inPackets", r.inPackets, perSecond), "out",
                figure("outPackets", r.outPackets, perSecond)], pktTarget),
            captioned("bytes/s in", [figure("inBytes", r.inBytes, bytesPerSecond), "out",
                figure("outBytes", r.outBytes, bytesPerSecond)], byteTarget));
        section.append(row);
        // the charts are drawn into their figures once those are in the document (uPlot measures its root)
        section.drawCharts = () => {
            chart(id + "/conns", connTarget, [{ label: "conn/s", colour: COLOURS.conns }], xs, [h.connections], perSecond);
            chart(id + "/pkts", pktTarget, [{ label: "in", colour: COLOURS.in }, { label: "out", colour: COLOURS.out }],
                xs, [h.inPackets, h.outPackets], perSecond);
            chart(id + "/bytes", byteTarget, [{ label: "in", colour: COLOURS.in }, { label: "out", colour: COLOURS.out }],
                xs, [h.inBytes, h.outBytes], bytesPerSecond);
        };
        const table = el("table", {}, el("thead", {}, el("tr", {},
            el("th", {}, "real server"), el("th", {}, "forward"), el("th", { class: "num" }, "weight"),
            el("th", {}, "health"), el("th", { class: "num" }, "active"), el("th", { class: "num" }, "inactive"),
            el("th", { class: "num" }, "conn/s"), el("th", { class: "num" }, "packets/s in / out"),
            el("th", { class: "num" }, "bytes/s in / out"), el("th", { class: "num" }, "connections"))));
        const body = el("tbody");
        for (const server of service.realServers) {
            body.append(realServerRow(server, checksRun));
        }
        if (service.realServers.length === 0) {
            body.append(el("tr", {}, el("td", { class: "empty", colspan: "10" }, "no real servers")));
        }
        table.append(body);
        section.append(table);
        return section;
    }

    function summary(data) {
        const sum = { connections: 0, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0, active: 0, inactive: 0 };
        for (const s of data.services) {
            for (const name of ["connections", "inPackets", "outPackets", "inBytes", "outBytes"]) {
                sum[name] += s.rates[name];
            }
            sum.active += s.activeConnections;
            sum.inactive += s.inactiveConnections;
        }
        const card = (label, ...figures) => el("div", { class: "card" }, el("div", { class: "label" }, label), ...figures);
        const target = document.getElementById("summary");
        target.replaceChildren(
            card("services", el("output", {}, data.services.length)),
            card("active / inactive connections", el("output", {}, sum.active + " / " + sum.inactive)),
            card("connections/s", figure("all-connections", sum.connections, perSecond)),
            card("packets/s in / out", el("output", {}, perSecond(sum.inPackets) + " / " + perSecond(sum.outPackets))),
            card("bytes/s in / out", el("output", {}, bytesPerSecond(sum.inBytes) + " / " + bytesPerSecond(sum.outBytes))),
            card("drops/s", el("output", {}, perSecond(data.drops.reduce((a, d) => a + d.rate, 0)))));
    }

    function drops(data) {
        // the reasons that ever dropped a frame, each on its row; the others named once, folded
        const body = document.querySelector("#drops tbody");
        const open = body.querySelector("details")?.open ? { open: "" } : {};
        const seen = data.drops.filter((d) => d.total > 0);
        const never = data.drops.filter((d) => d.total === 0);
        const rows = seen.map((d) => el("tr", { class: d.rate > 0 ? "dropping" : "", "data-reason": d.reason },
            el("td", {}, d.reason), el("td", { class: "num" }, d.total), el("td", { class: "num" }, perSecond(d.rate))));
        if (never.length > 0) {
            rows.push(el("tr", { class: "zero" }, el("td", { colspan: "3" },
                el("details", open, el("summary", {}, never.length + (seen.length ? " other reasons" : " reasons")
                    + " with no drop"), never.map((d) => d.reason).join(", ")))));
        }
        body.replaceChildren(...rows);
        const now = data.drops.reduce((a, d) => a + d.rate, 0);
        const output = document.getElementById("drops-now");
        output.dataset.value = String(now);
        output.textContent = perSecond(now);
        chart("drops", document.getElementById("drops-chart"), [{ label: "drops/s", colour: COLOURS.drops }],
            seconds(data.dropHistory.timeMs), [data.dropHistory.drops], perSecond);
    }

    function workers(data) {
        const body = document.querySelector("#workers tbody");
        body.replaceChildren(...data.workers.map((w, i) => el("tr", {},
            el("td", {}, i), el("td", { class: "num" }, w.framesIn), el("td", { class: "num" }, w.connections),
            el("td", { class: "num" }, w.connectionCapacity),
            el("td", { class: "num" }, w.connectionCapacity ? (100 * w.connections / w.connectionCapacity).toFixed(1) + " %" : "—"))));
        document.getElementById("vrrp").textContent = data.vrrp.length === 0 ? ""
            : "VRRP: " + data.vrrp.map((v) => v.instance + " " + v.state).join(", ");
    }

    function render(data) {
        summary(data);
        const target = document.getElementById("services");
        const panels = data.services.map((s) => servicePanel(s, data.healthChecks));
        target.replaceChildren(...panels);
        if (panels.length === 0) {
            target.append(el("section", { class: "panel empty" }, "No virtual services (add one with jvsadm -A)."));
        }
        for (const panel of panels) {
            panel.drawCharts();
        }
        drops(data);
        workers(data);
        const status = document.getElementById("status");
        status.className = "status";
        status.textContent = "updated " + new Date(data.timeMs).toLocaleTimeString()
            + (data.healthChecks ? "" : " · no health checks (director started without -f)");
        document.body.dataset.updated = String(data.timeMs);
    }

    async function poll() {
        try {
            const response = await fetch("/dashboard/data.json", { cache: "no-store" });
            if (!response.ok) {
                throw new Error((await response.text()).trim() || response.status);
            }
            render(await response.json());
        } catch (failed) {
            const status = document.getElementById("status");
            status.className = "status stale";
            status.textContent = "not updated: " + failed.message;
        }
    }

    poll();
    setInterval(poll, POLL_MS);
})();
