// A tiny inline SVG line for the home page (no chart library on the first page). Gaps at suppressed values.
export function sparkline(values: (number | null)[], width = 160, height = 40): string {
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length === 0) return '';
  const min = Math.min(...nums), max = Math.max(...nums);
  const span = max - min || 1;
  const x = (i: number) => (values.length === 1 ? width / 2 : 4 + (i * (width - 8)) / (values.length - 1));
  const y = (v: number) => height - 4 - ((v - min) / span) * (height - 8);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const last = values.length - 1;
  const lastV = values[last];
  const dot = lastV === null ? '' : `<circle cx="${x(last).toFixed(1)}" cy="${y(lastV).toFixed(1)}" r="3" class="das-spark__dot"/>`;
  return `<svg class="das-spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true" focusable="false"><path d="${d}" class="das-spark__line"/>${dot}</svg>`;
}
