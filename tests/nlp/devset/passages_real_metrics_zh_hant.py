"""Dev-set traditional-Chinese passages for the metric forms of issue 12 that the rules still
missed (second round). Forms seen on alibabacloud.com/help/tc/model-studio (快取 for cache in
Taiwanese usage, 標記), and traditional re-prints of DeepSeek's off-peak notice (錯峰時段,
降至原價的50%) on faxianai.com / blog.moontak.com; sentences and facts are mine.

Tuple: (id, published_at, text, entity specs, metric specs, risk specs, forms).
"""

# fmt: off
LANG = "zh"
VARIANT = "zh-Hant"
ORIGIN = "real-form"
N = None
PASSAGES = [
("dh-001", "2025-03-02", "DeepSeek的夜間時段，快取命中輸入每百萬標記0.25元。",
 ["c:DeepSeek=deepseek"], [("p", 0.25, N, "CNY", "cached_input", "deepseek", "2025-03-02", "off_peak")], [],
 ["prices", "scripts"]),
("dh-002", "2025-07-15", "Kimi K2 輸入價格（快取未命中）為每百萬 Token 4 元，輸出為 16 元。",
 ["m:Kimi K2=kimi"], [("p", 4.0, N, "CNY", "input", "kimi", "2025-07-15"), ("p", 16.0, N, "CNY", "output", "kimi", "2025-07-15")], [],
 ["prices", "scripts"]),
("dh-003", "2025-02-26", "錯峰時段，DeepSeek-V3 API 價格降至原價的 50%。",
 ["m:DeepSeek-V3=deepseek-v3"], [("c", -0.5, N, N, N, "deepseek-v3", "2025-02-26", "off_peak")], [],
 ["price_changes", "scripts"]),
]
