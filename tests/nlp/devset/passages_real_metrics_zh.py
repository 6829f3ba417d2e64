"""Dev-set Chinese passages for the metric forms of issue 12 that the rules still missed (second
round, written before the rules changed). Each block names the stored public pages where the
form was seen; the sentences and the facts are mine (illustrative), none is copied.

Tuple: (id, published_at, text, entity specs, metric specs, risk specs, forms).
"""

# fmt: off
LANG = "zh"
ORIGIN = "real-form"
N = None
PASSAGES = [
# --- old and new price with ¥ before the amount and 千token; a change said as 下调N%. Seen on
# explinks.com (tongyi-api-tiered-pricing-guide: "价格下调70%，API调用成本从¥0.02/千token降至
# ¥0.006/千token"), yunthe.com (每百万输入tokens约$0.003，输出tokens约$0.012).
("dn-001", "2025-03-12", "通义千问旗舰模型宣布降价，核心模型价格下调60%，调用成本从¥0.02/千token降至¥0.008/千token。",
 ["m:通义千问=qwen"], [("c", -0.6, N, N, N, "qwen", "2025-03-12"), ("p", 20.0, N, "CNY", N, "qwen", "2025-03-12"), ("p", 8.0, N, "CNY", N, "qwen", "2025-03-12")], [],
 ["price_changes", "prices"]),
("dn-002", "2025-06-20", "该模型标准版每百万输入tokens约$0.004，输出tokens约$0.016。",
 [], [("p", 0.004, N, "USD", "input", N, "2025-06-20"), ("p", 0.016, N, "USD", "output", N, "2025-06-20")], [],
 ["prices"]),
# --- price changes in words: 约一半, 降至原价的N分之一, 打N折, 半价. Seen on faxianai.com DeepSeek
# off-peak notice (5折, 2.5折), chaobro.com (缓存命中价格降至原来的十分之一), datalearner.com
# (Batch 成本降低 50%).
("dn-010", "2026-04-26", "DeepSeek宣布，全系列模型的缓存命中价格降至原来的十分之一。",
 ["c:DeepSeek=deepseek"], [("c", -0.9, N, N, "cached_input", "deepseek", "2026-04-26")], [],
 ["price_changes"]),
("dn-011", "2025-05-21", "百度宣布文心大模型API价格下调，降幅约一半。",
 ["c:百度=baidu", "m:文心大模型=ernie"], [("c", -0.5, N, N, N, "ernie", "2025-05-21")], [],
 ["price_changes"]),
("dn-012", "2025-02-26", "夜间时段DeepSeek-R1的API调用价格打2.5折。",
 ["m:DeepSeek-R1=deepseek-r1"], [("c", -0.75, N, N, N, "deepseek-r1", "2025-02-26", "off_peak")], [],
 ["price_changes"]),
("dn-013", "2024-05-15", "豆包主力模型的价格仅为行业价格的三分之一。",
 ["m:豆包=doubao"], [], [],
 ["price_changes", "distractors"]),
("dn-014", "2025-10-09", "智谱将GLM-4.5的输出价格下调至原价的五分之一。",
 ["c:智谱=zhipu", "m:GLM-4.5=glm"], [("c", -0.8, N, N, "output", "glm", "2025-10-09")], [],
 ["price_changes"]),
# --- comparisons. Seen on yunthe.com ("较国际方案单价低约25%"), 36kr-style retellings of the
# Doubao launch (比行业便宜99.3%).
("dn-020", "2025-06-20", "国内云厂商每千tokens定价较国际方案单价低约25%。",
 [], [], [],
 ["price_changes", "distractors"]),
("dn-021", "2024-05-15", "火山引擎表示，豆包Pro的推理输入价格比行业低99.3%。",
 ["c:火山引擎=volcano-engine", "m:豆包=doubao"], [], [],
 ["price_changes", "distractors"]),
# --- distractors: GPU rental, stock moves, parameter counts, MAU, call counts, revenue. Seen on
# juejin.cn (日活用户8,000人, 日均批改次数15,000次, GPU服务器$200/月), 61.152.230.22 stock reports,
# cursor-ide.com (1T总参数量).
("dn-030", "2025-12-02", "受算力需求推动，H800整机租赁价格上涨20%，每卡每小时约15元。",
 [], [], [],
 ["distractors"]),
("dn-031", "2025-12-02", "寒武纪股价盘中大涨8%，成交额突破200亿元。",
 ["c:寒武纪=cambricon"], [], [],
 ["distractors"]),
("dn-032", "2025-07-11", "Kimi K2总参数量达1万亿，激活参数320亿。",
 ["m:Kimi K2=kimi"], [], [],
 ["distractors"]),
("dn-033", "2025-11-18", "豆包月活跃用户超过1.7亿，日均API调用次数超过10亿次。",
 ["m:豆包=doubao"], [], [],
 ["distractors"]),
("dn-034", "2025-08-29", "公司上半年AI业务收入达到12亿元，同比增长60%。",
 [], [], [],
 ["distractors"]),
# --- volumes with the unit a few words after the number; 分别 lists. Seen on ithome.com
# (agency figures), jiqubuluo.com (分别为…), 163.com (日均调用量).
("dn-040", "2025-12-18", "火山引擎和阿里云的日均Token调用量分别为50万亿和30万亿。",
 ["c:火山引擎=volcano-engine", "c:阿里云=alibaba-cloud"], [("v", 5e13, "day", N, N, "volcano-engine", "2025-12-18"), ("v", 3e13, "day", N, N, "alibaba-cloud", "2025-12-18")], [],
 ["attribution", "numbers", "periods"]),
("dn-041", "2026-01-05", "截至去年12月，我国日均词元调用量已超过100万亿个，一年前仅为10万亿个。",
 [], [("v", 1e14, "day", N, N, "cn", "2025-12"), ("v", 1e13, "day", N, N, "cn", "2024-12")], [],
 ["numbers", "periods", "attribution"]),
]
