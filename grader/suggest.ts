/** "Did you mean": the known names closest to what was typed. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function nearest(input: string, names: string[], max = 3): string[] {
  const scored = names.map((n) => ({
    n,
    d: n.includes(input) || input.includes(n) ? 0 : distance(input.toLowerCase(), n.toLowerCase()),
  }));
  const limit = Math.max(3, Math.floor(input.length / 2));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((s) => s.n);
}
