/**
 * Short beeps generated with the Web Audio API (no sound files): the hub worker hears
 * whether a scan went through without looking at the screen.
 *
 * Each pattern is a list of [frequency (Hz), duration (ms), pause after (ms)].
 */
export const BEEP_PATTERNS = {
    ok: [[1320, 90, 0]],
    notice: [
        [880, 80, 60],
        [880, 80, 0],
    ],
    queued: [
        [660, 60, 50],
        [990, 60, 0],
    ],
    error: [
        [220, 220, 90],
        [220, 320, 0],
    ],
};
const VIBRATIONS = {
    ok: [60],
    notice: [60, 60, 60],
    queued: [40],
    error: [250, 100, 250],
};

export class Beeper {
    /**
     * @param {Window} [win]
     */
    constructor(win = window) {
        this.win = win;
        this.context = null;
        this.muted = false;
    }

    _audioContext() {
        if (!this.context) {
            const AudioContext = this.win.AudioContext || this.win.webkitAudioContext;
            if (!AudioContext) {
                return null;
            }
            this.context = new AudioContext();
        }
        if (this.context.state === "suspended") {
            // Browsers start audio only after a user gesture (a key press, a tap)
            this.context.resume();
        }
        return this.context;
    }

    /**
     * Play the pattern of a sound hint (`ok`, `notice`, `queued`, `error`) and vibrate
     * on phones.
     *
     * @param {String} sound
     */
    play(sound) {
        const pattern = BEEP_PATTERNS[sound] || BEEP_PATTERNS.error;
        this.win.navigator?.vibrate?.(VIBRATIONS[sound] || VIBRATIONS.error);
        if (this.muted) {
            return;
        }
        let context = null;
        try {
            context = this._audioContext();
        } catch {
            return;
        }
        if (!context) {
            return;
        }
        let start = context.currentTime + 0.01;
        for (const [frequency, duration, pause] of pattern) {
            const oscillator = context.createOscillator();
            const gain = context.createGain();
            oscillator.type = sound === "error" ? "square" : "sine";
            oscillator.frequency.value = frequency;
            const end = start + duration / 1000;
            // Short ramps avoid clicks at the start and the end of each beep
            gain.gain.setValueAtTime(0.0001, start);
            gain.gain.exponentialRampToValueAtTime(0.25, start + 0.01);
            gain.gain.setValueAtTime(0.25, end - 0.01);
            gain.gain.exponentialRampToValueAtTime(0.0001, end);
            oscillator.connect(gain).connect(context.destination);
            oscillator.start(start);
            oscillator.stop(end);
            start = end + pause / 1000;
        }
    }
}
