#!/usr/bin/env python3
"""TA-Lib's values for the TA-Lib parity fixture (test/fixtures/talib/reference.json).

Reads the candles written by scripts/talib/dump-candles.ts and writes, per
series, the candles and the full output of each TA-Lib function the product
has a counterpart of (docs/indicator-library.md, "TA-Lib parity"), NaN as
null, every float at full precision (Python's shortest round-trip repr).
test/analysis/talib-parity.test.ts holds src/analysis/indicators.ts to it,
so `npm test` needs no Python.

Generated with TA-Lib 0.8.2 (the PyPI wheel ta_lib-0.8.2, cp311 manylinux,
which bundles the TA-Lib C library) and numpy 2.4.6, default settings:
unstable periods 0, compatibility TA_COMPATIBILITY_DEFAULT.

Regenerate (the venv outside the repo):
  python3 -m venv /tmp/talib-venv && /tmp/talib-venv/bin/pip install TA-Lib==0.8.2 numpy
  npx tsx scripts/talib/dump-candles.ts > /tmp/talib-candles.json
  /tmp/talib-venv/bin/python scripts/talib/reference.py /tmp/talib-candles.json test/fixtures/talib/reference.json
"""
import datetime
import json
import math
import sys

import numpy as np
import talib

PERIOD = 14


def column(candles, k):
    return np.array([c[k] for c in candles], dtype=np.float64)


def plain(values):
    """A TA-Lib output as a JSON list: NaN (before the lookback) as None."""
    return [None if math.isnan(v) else float(v) for v in values]


def indicators(candles):
    high, low, close = column(candles, 2), column(candles, 3), column(candles, 4)
    macd, signal, hist = talib.MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)
    upper, middle, lower = talib.BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2, matype=0)
    # Keys are the product's IndicatorSeries names; each value names its TA-Lib call.
    out = {
        "ema9": talib.EMA(close, timeperiod=9),
        "ema21": talib.EMA(close, timeperiod=21),
        "ema50": talib.EMA(close, timeperiod=50),
        "rsi14": talib.RSI(close, timeperiod=PERIOD),
        "macd": macd,
        "macdSignal": signal,
        "macdHist": hist,
        "atr14": talib.ATR(high, low, close, timeperiod=PERIOD),
        "adx14": talib.ADX(high, low, close, timeperiod=PERIOD),
        "plusDi14": talib.PLUS_DI(high, low, close, timeperiod=PERIOD),
        "minusDi14": talib.MINUS_DI(high, low, close, timeperiod=PERIOD),
        "bbUpper": upper,
        "bbMiddle": middle,
        "bbLower": lower,
    }
    return {name: plain(values) for name, values in out.items()}


FUNCTIONS = {
    "ema9": "EMA(close, timeperiod=9)",
    "ema21": "EMA(close, timeperiod=21)",
    "ema50": "EMA(close, timeperiod=50)",
    "rsi14": "RSI(close, timeperiod=14)",
    "macd": "MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)[0]",
    "macdSignal": "MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)[1]",
    "macdHist": "MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)[2]",
    "atr14": "ATR(high, low, close, timeperiod=14)",
    "adx14": "ADX(high, low, close, timeperiod=14)",
    "plusDi14": "PLUS_DI(high, low, close, timeperiod=14)",
    "minusDi14": "MINUS_DI(high, low, close, timeperiod=14)",
    "bbUpper": "BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2, matype=0)[0]",
    "bbMiddle": "BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2, matype=0)[1]",
    "bbLower": "BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2, matype=0)[2]",
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: reference.py CANDLES.json OUT.json")
    with open(sys.argv[1]) as f:
        dump = json.load(f)
    fixture = {
        "generator": "scripts/talib/reference.py, on candles from scripts/talib/dump-candles.ts",
        "talib": talib.__version__,
        "talibC": talib.__ta_version__.decode() if isinstance(talib.__ta_version__, bytes) else str(talib.__ta_version__),
        "numpy": np.__version__,
        "generated": datetime.date.today().isoformat(),
        "market": {"seed": dump["seed"], "symbols": dump["symbols"], "now": dump["now"]},
        "functions": FUNCTIONS,
        # TA-Lib's defaults, recorded: 0 is TA_COMPATIBILITY_DEFAULT (not Metastock's).
        "settings": {
            "compatibility": talib.get_compatibility(),
            "unstablePeriod": {f: talib.get_unstable_period(f) for f in ["EMA", "RSI", "ATR", "ADX", "PLUS_DI", "MINUS_DI"]},
        },
        "series": [
            {
                "id": s["id"],
                "symbol": s["symbol"],
                "timeframe": s["timeframe"],
                "kind": s["kind"],
                "candles": s["candles"],
                "talib": indicators(s["candles"]),
            }
            for s in dump["series"]
        ],
    }
    with open(sys.argv[2], "w") as f:
        json.dump(fixture, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
