/** @odoo-module **/
// Copyright 2026 TMS for Odoo contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";
import {onMounted, onWillUnmount} from "@odoo/owl";
import {registry} from "@web/core/registry";

const RUNNING_STATES = ["queued", "running"];
export const REFRESH_INTERVAL = 1000;

/**
 * The progress bar of an optimisation run, which reloads the run every second while
 * it is queued or running: the job writes its progress (share of the time budget,
 * best plan so far) in transactions of its own, read back here through the ORM, so
 * the access rules apply and no websocket is needed. Hidden once the run is over,
 * the field is unmounted and the reloading stops.
 */
export class OptimizationProgressField extends ProgressBarField {
    setup() {
        super.setup();
        let timer = null;
        let loading = false;
        onMounted(() => {
            timer = setInterval(async () => {
                const record = this.props.record;
                if (loading || !RUNNING_STATES.includes(record.data.state)) {
                    return;
                }
                loading = true;
                try {
                    await record.load();
                } finally {
                    loading = false;
                }
            }, REFRESH_INTERVAL);
        });
        onWillUnmount(() => clearInterval(timer));
    }
}

registry.category("fields").add("tms_optimization_progress", {
    ...progressBarField,
    component: OptimizationProgressField,
});
