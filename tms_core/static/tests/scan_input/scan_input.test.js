import {describe, expect, test} from "@odoo/hoot";
import {press} from "@odoo/hoot-dom";
import {animationFrame, runAllTimers} from "@odoo/hoot-mock";
import {Component, useState, xml} from "@odoo/owl";
import {defineMailModels} from "@mail/../tests/mail_test_helpers";
import {
    contains,
    getService,
    mockService,
    mountWithCleanup,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import {browser} from "@web/core/browser/browser";
import {ScanInput} from "@tms_core/scan_input/scan_input";
import {useScanInput} from "@tms_core/scan_input/scan_input_hook";

describe.current.tags("desktop");
// (tms_core depends on mail, whose services start with the web client)
defineMailModels();

/** A scan screen reduced to its field; each code read is a step. */
class Screen extends Component {
    static template = xml`
        <div class="o_test_screen">
            <ScanInput
                t-if="state.open"
                scanInput="scanInput"
                classPrefix="'o_test_scan'"
                placeholder="'Scan or type a number'"
                submitLabel="'Send'"
                disabled="state.busy"
            />
        </div>`;
    static components = {ScanInput};
    static props = ["*"];

    setup() {
        this.state = useState({open: true, busy: false});
        this.scanInput = useScanInput({
            onScan: (code) => expect.step(code),
            keepCameraOpen: this.props.keepCameraOpen,
        });
    }
}

/** The camera's dialog, opened by scanBarcode: each one opened is kept here. */
function mockCamera() {
    patchWithCleanup(browser.navigator, {mediaDevices: {getUserMedia: () => null}});
    const dialogs = [];
    mockService("dialog", {
        add: (DialogClass, props) => {
            dialogs.push(props);
            return () => null;
        },
    });
    return dialogs;
}

test("a typed number is sent with Enter or the button, trimmed, and the field emptied", async () => {
    await mountWithCleanup(Screen);
    expect("input.o_test_scan_input").toHaveAttribute(
        "placeholder",
        "Scan or type a number"
    );
    await contains(".o_test_scan_input").edit("  RR990000010MA ", {confirm: false});
    await press("Enter");
    await animationFrame();
    expect.verifySteps(["RR990000010MA"]);
    expect(".o_test_scan_input").toHaveValue("");
    await contains(".o_test_scan_input").edit("RR990000023MA", {confirm: false});
    await contains(".o_test_scan_submit").click();
    expect.verifySteps(["RR990000023MA"]);
    expect(".o_test_scan_input").toHaveValue("");
    // Nothing typed: nothing sent
    await contains(".o_test_scan_input").edit("   ", {confirm: false});
    await contains(".o_test_scan_submit").click();
    expect.verifySteps([]);
});

test("a keyboard-wedge scanner is heard anywhere on the page", async () => {
    await mountWithCleanup(Screen);
    for (const key of [..."RR990000037MA", "Enter"]) {
        await press(key);
    }
    expect.verifySteps(["RR990000037MA"]);
    getService("barcode").bus.trigger("barcode_scanned", {
        barcode: " RR990000045MA ",
        target: document.body,
    });
    expect.verifySteps(["RR990000045MA"]);
    // The field stays empty: the code was not typed in it
    expect(".o_test_scan_input").toHaveValue("");
});

test("what is typed stays while the field is hidden", async () => {
    const screen = await mountWithCleanup(Screen);
    await contains(".o_test_scan_input").edit("RR9900", {confirm: false});
    screen.state.open = false;
    await animationFrame();
    expect(".o_test_scan_input").toHaveCount(0);
    screen.state.open = true;
    await animationFrame();
    expect(".o_test_scan_input").toHaveValue("RR9900");
});

test("the button is disabled while the screen is busy", async () => {
    const screen = await mountWithCleanup(Screen);
    expect(".o_test_scan_submit").toBeEnabled();
    screen.state.busy = true;
    await animationFrame();
    expect(".o_test_scan_submit").not.toBeEnabled();
});

test("the field takes the focus on desktop", async () => {
    const screen = await mountWithCleanup(Screen);
    await contains(".o_test_scan_submit").focus();
    screen.scanInput.focus();
    await runAllTimers();
    expect(".o_test_scan_input").toBeFocused();
});

test("no camera button without a camera", async () => {
    patchWithCleanup(browser.navigator, {mediaDevices: undefined});
    await mountWithCleanup(Screen);
    expect(".o_test_scan_input").toHaveCount(1);
    expect(".o_test_scan_camera").toHaveCount(0);
});

test("the camera reads one code, then closes", async () => {
    const dialogs = mockCamera();
    await mountWithCleanup(Screen);
    await contains(".o_test_scan_camera").click();
    expect(dialogs).toHaveLength(1);
    dialogs[0].onResult("RR990000010MA");
    await animationFrame();
    expect.verifySteps(["RR990000010MA"]);
    expect(dialogs).toHaveLength(1);
});

test("the camera can stay open, code after code, until it is closed", async () => {
    const dialogs = mockCamera();
    await mountWithCleanup(Screen, {props: {keepCameraOpen: true}});
    await contains(".o_test_scan_camera").click();
    dialogs[0].onResult("RR990000010MA");
    await animationFrame();
    expect(dialogs).toHaveLength(2);
    dialogs[1].onResult("RR990000023MA");
    await animationFrame();
    expect.verifySteps(["RR990000010MA", "RR990000023MA"]);
    expect(dialogs).toHaveLength(3);
});

test("a camera that cannot be opened is told, nothing is sent", async () => {
    const dialogs = mockCamera();
    mockService("notification", {
        add: (message, options) => expect.step(`${options.type}: ${message}`),
    });
    await mountWithCleanup(Screen, {props: {keepCameraOpen: true}});
    await contains(".o_test_scan_camera").click();
    dialogs[0].onError(new Error("Permission denied"));
    await animationFrame();
    expect.verifySteps(["warning: Permission denied"]);
    expect(dialogs).toHaveLength(1);
});
