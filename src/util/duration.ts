const PT = /^PT(?=[0-9])(?:([0-9]{1,3})H)?(?:([0-9]{1,4})M)?(?:([0-9]{1,6})S)?$/;

/** Seconds in an ISO 8601 time duration of the form PTnHnMnS, or undefined when it is not one. */
export function durationSeconds(iso: string): number | undefined {
  const m = PT.exec(iso);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** "PT1H30M" -> "1 h 30 min". */
export function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ') || '0 s';
}
