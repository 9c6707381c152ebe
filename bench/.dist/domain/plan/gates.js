// Policy gates on mutation (design §3 `policy`): maintenance windows as a pure function of `now`.
import { durationMinutes } from '../../api/duration.js';
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_MINUTES = 1440;
function localTime(now, timeZone) {
    let parts;
    try {
        parts = new Intl.DateTimeFormat('en-US', {
            timeZone,
            weekday: 'short',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
        }).formatToParts(now);
    }
    catch {
        return undefined;
    }
    const get = (type) => parts.find((p) => p.type === type)?.value;
    const weekday = WEEKDAYS.indexOf((get('weekday') ?? ''));
    const hour = Number(get('hour'));
    const minute = Number(get('minute'));
    if (weekday < 0 || Number.isNaN(hour) || Number.isNaN(minute))
        return undefined;
    return { weekday, minutes: hour * 60 + minute };
}
/**
 * Whether `now` falls inside the window. Wall-clock arithmetic in the window's zone: a window that spans
 * a daylight-saving change is off by the shift (at most an hour) — acceptable for a start gate.
 */
export function insideWindow(window, now) {
    const local = localTime(now, window.timezone ?? 'UTC');
    const length = durationMinutes(window.duration);
    const [h, m] = window.start.split(':').map(Number);
    if (local === undefined || length === undefined || h === undefined || m === undefined)
        return false;
    const startMinutes = h * 60 + m;
    // Look back over as many days as the window can last (one week at most covers every weekday).
    const lookBack = Math.min(Math.ceil(length / DAY_MINUTES) + 1, 8);
    for (let k = 0; k < lookBack; k++) {
        const day = WEEKDAYS[(local.weekday - k + 7 * 8) % 7];
        if (day === undefined || !window.days.includes(day))
            continue;
        const elapsed = k * DAY_MINUTES + local.minutes - startMinutes;
        if (elapsed >= 0 && elapsed < length)
            return true;
    }
    return false;
}
/** No windows means always open. */
export function maintenanceWindowOpen(windows, now) {
    return windows.length === 0 || windows.some((w) => insideWindow(w, now));
}
//# sourceMappingURL=gates.js.map