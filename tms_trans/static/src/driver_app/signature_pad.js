import {Component, onMounted, useRef} from "@odoo/owl";

/**
 * A signature pad: the receiver signs with a finger, a stylus or the mouse. Calls
 * `onChange` with a PNG data URL after each stroke, and with "" when cleared.
 */
export class SignaturePad extends Component {
    static template = "tms_trans.SignaturePad";
    static props = {onChange: Function};

    setup() {
        this.canvasRef = useRef("canvas");
        this.drawing = false;
        this.empty = true;
        onMounted(() => this.resize());
    }

    resize() {
        const canvas = this.canvasRef.el;
        const ratio = window.devicePixelRatio || 1;
        canvas.width = canvas.offsetWidth * ratio;
        canvas.height = canvas.offsetHeight * ratio;
        const context = canvas.getContext("2d");
        context.scale(ratio, ratio);
        context.lineWidth = 2.5;
        context.lineCap = "round";
        context.lineJoin = "round";
        context.strokeStyle = "#000";
    }

    point(ev) {
        const rect = this.canvasRef.el.getBoundingClientRect();
        return [ev.clientX - rect.left, ev.clientY - rect.top];
    }

    onPointerDown(ev) {
        ev.preventDefault();
        this.canvasRef.el.setPointerCapture?.(ev.pointerId);
        this.drawing = true;
        const context = this.canvasRef.el.getContext("2d");
        const [x, y] = this.point(ev);
        context.beginPath();
        context.moveTo(x, y);
        context.lineTo(x + 0.1, y + 0.1);
        context.stroke();
    }

    onPointerMove(ev) {
        if (!this.drawing) {
            return;
        }
        ev.preventDefault();
        const context = this.canvasRef.el.getContext("2d");
        const [x, y] = this.point(ev);
        context.lineTo(x, y);
        context.stroke();
    }

    onPointerUp() {
        if (!this.drawing) {
            return;
        }
        this.drawing = false;
        this.empty = false;
        this.props.onChange(this.canvasRef.el.toDataURL("image/png"));
    }

    clear() {
        const canvas = this.canvasRef.el;
        canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
        this.empty = true;
        this.props.onChange("");
    }
}
