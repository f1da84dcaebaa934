/**
 * The driver app's pure helpers: reading a scanned code, resizing a photo.
 */

const TRACK_URL_RE = /\/track\/([A-Za-z0-9_-]{16,64})(?:[/?#]|$)/;

/**
 * A tracking number as compared: upper case, without spaces or dashes.
 *
 * @param {String} code
 * @returns {String}
 */
export function normalizeNumber(code) {
    return (code || "").toUpperCase().replace(/[\s-]/g, "");
}

/**
 * The parcel of `parcels` a scanned code names: its tracking number (spaces and
 * dashes ignored, any case) or its label's QR code (the public tracking page).
 *
 * @param {String} code
 * @param {Object[]} parcels `{tracking_number, access_token}`
 * @returns {Object|undefined}
 */
export function findParcel(code, parcels) {
    const token = TRACK_URL_RE.exec(code || "");
    if (token) {
        return parcels.find((parcel) => parcel.access_token === token[1]);
    }
    const number = normalizeNumber(code);
    return parcels.find((parcel) => normalizeNumber(parcel.tracking_number) === number);
}

/**
 * A photo from the camera, resized so that its longer side is at most `maxSide`
 * pixels, as a JPEG data URL (a phone's 4000 px photo becomes about 100 kB).
 *
 * @param {Blob} file
 * @param {Number} [maxSide=1280]
 * @param {Number} [quality=0.7]
 * @returns {Promise<String>}
 */
export async function resizePhoto(file, maxSide = 1280, quality = 0.7) {
    const url = URL.createObjectURL(file);
    try {
        const image = await new Promise((resolve, reject) => {
            const img = new Image();
            img.onload = () => resolve(img);
            img.onerror = reject;
            img.src = url;
        });
        const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
        const canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(image.width * scale));
        canvas.height = Math.max(1, Math.round(image.height * scale));
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        return canvas.toDataURL("image/jpeg", quality);
    } finally {
        URL.revokeObjectURL(url);
    }
}
