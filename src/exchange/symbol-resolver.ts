/** Normalizes BTCUSDT, btcusdt or BTC/USDT:USDT to the unified symbol, if listed. */
export function symbolResolver(
  perpetuals: Array<{ symbol: string; id: string }>,
): (name: string) => string | undefined {
  const bySymbol = new Map<string, string>();
  for (const p of perpetuals) {
    bySymbol.set(p.symbol.toUpperCase(), p.symbol);
    bySymbol.set(p.id.toUpperCase(), p.symbol);
  }
  return (name: string) => bySymbol.get(name.trim().toUpperCase());
}
