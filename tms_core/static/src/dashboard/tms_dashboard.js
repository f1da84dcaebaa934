/** @odoo-module **/
import {Component, onWillStart, useState} from "@odoo/owl";
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {KeepLast} from "@web/core/utils/concurrency";
import {useService} from "@web/core/utils/hooks";
import {useSetupAction} from "@web/search/action_hook";
import {Layout} from "@web/search/layout";

/**
 * Managers' dashboard: parcels of the period by state, deliveries on time, failed
 * attempts and their reasons, exceptions, and the same figures per hub and per shipper.
 * Every figure opens the list of the records it counts (the server sends their domain).
 */
export class TmsDashboard extends Component {
    static template = "tms_core.TmsDashboard";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.keepLast = new KeepLast();
        const saved = this.props.state || {};
        this.state = useState({
            period: saved.period || "today",
            hubId: saved.hubId || false,
            companyId: saved.companyId || false,
            data: null,
        });
        useSetupAction({
            getLocalState: () => ({
                period: this.state.period,
                hubId: this.state.hubId,
                companyId: this.state.companyId,
            }),
        });
        onWillStart(() => this.load());
    }

    get display() {
        return {controlPanel: {}};
    }

    get periods() {
        return [
            {key: "today", label: _t("Today")},
            {key: "week", label: _t("This Week")},
            {key: "month", label: _t("This Month")},
        ];
    }

    get kpis() {
        const kpis = this.state.data.kpis;
        return [
            {key: "shipped", label: _t("Shipped"), cell: kpis.shipped},
            {key: "delivered", label: _t("Delivered"), cell: kpis.delivered},
            {
                key: "on_time",
                label: _t("Delivered On Time"),
                cell: kpis.on_time,
                display: this.formatRate(kpis.on_time_rate),
            },
            {key: "failed", label: _t("Failed Attempts"), cell: kpis.failed},
            {
                key: "exceptions",
                label: _t("Exceptions"),
                cell: kpis.exceptions,
                now: true,
            },
            {key: "open", label: _t("Open Parcels"), cell: kpis.open, now: true},
        ];
    }

    get periodLabel() {
        const {date_from, date_to} = this.state.data.period;
        const from = formatDate(deserializeDate(date_from));
        return date_from === date_to
            ? from
            : `${from} – ${formatDate(deserializeDate(date_to))}`;
    }

    formatRate(rate) {
        return rate === null || rate === undefined ? "–" : `${rate} %`;
    }

    async load() {
        const data = await this.keepLast.add(
            this.orm.call("tms.parcel", "tms_dashboard_data", [this.state.period], {
                hub_id: this.state.hubId || null,
                company_id: this.state.companyId || null,
            })
        );
        this.state.data = data;
    }

    setPeriod(period) {
        this.state.period = period;
        this.load();
    }

    onCompanyChange(ev) {
        this.state.companyId = parseInt(ev.target.value, 10) || false;
        this.state.hubId = false;
        this.load();
    }

    onHubChange(ev) {
        this.state.hubId = parseInt(ev.target.value, 10) || false;
        this.load();
    }

    /**
     * Open the records a figure counts.
     * @param {Object} cell {value, model, domain} as sent by the server
     * @param {String} title the list's name in the breadcrumbs
     */
    open(cell, title) {
        if (!cell || !cell.value) {
            return;
        }
        const views =
            cell.model === "tms.parcel.event"
                ? [
                      [false, "list"],
                      [false, "pivot"],
                      [false, "graph"],
                      [false, "form"],
                  ]
                : [
                      [false, "list"],
                      [false, "kanban"],
                      [false, "pivot"],
                      [false, "graph"],
                      [false, "form"],
                  ];
        this.action.doAction({
            type: "ir.actions.act_window",
            name: title,
            res_model: cell.model,
            domain: cell.domain,
            views,
            context: {create: false},
        });
    }
}

registry.category("actions").add("tms_core.dashboard", TmsDashboard);
