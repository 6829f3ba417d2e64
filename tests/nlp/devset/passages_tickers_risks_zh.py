"""Dev passages (simplified Chinese) for tickers attached to their company and for risk
compositions (trigger x aspect, negation). Forms learned from the stored pages listed in
FORMS.md (broker and exchange summaries naming a company with its code, 中际旭创（300308.SZ）,
智谱（02513.HK）; market commentary with 回调/止盈/资金净流出); sentences and facts are our own.

Tuple: (id, published_at, text, entity specs, metric specs, risk specs, forms).
"""

# fmt: off
LANG = "zh"
VARIANT = "zh-Hans"
ORIGIN = "real-form"
PASSAGES = [
("tk-z01", "2026-01-20", "智谱（02513.HK）午后拉升，收涨6%。",
 ["c:智谱=zhipu", "c:02513.HK=zhipu"], [], [], ["entities", "distractors"]),
("tk-z02", "2026-01-21", "稀宇科技（00100.HK）与智谱（2513.HK）同日走高。",
 ["c:稀宇科技=minimax", "c:00100.HK=minimax", "c:智谱=zhipu", "c:2513.HK=zhipu"], [], [], ["entities"]),
("tk-z03", "2025-11-04", "阿里巴巴-W（09988.HK）早盘高开，腾讯控股（0700.HK）小幅走低。",
 ["c:阿里巴巴=alibaba", "c:09988.HK=alibaba", "c:腾讯控股=tencent", "c:0700.HK=tencent"], [], [], ["entities"]),
("tk-z04", "2025-12-09", "北京智谱华章科技股份有限公司（02513.HK）发布自愿公告。",
 ["c:北京智谱华章科技股份有限公司=zhipu", "c:02513.HK=zhipu"], [], [], ["entities"]),
("tk-z05", "2025-10-15", "海光信息（688041.SH）与寒武纪（688256.SH）均获北向资金增持。",
 ["c:海光信息=hygon", "c:688041.SH=hygon", "c:寒武纪=cambricon", "c:688256.SH=cambricon"], [], [], ["entities"]),
("rk-z01", "2025-12-18", "AI应用板块午后持续回调，部分资金选择止盈离场。",
 [], [], [("mkt", "AI应用板块午后持续回调")], ["risks"]),
("rk-z02", "2025-12-19", "算力概念股获利盘集中兑现，主力资金净流出超过80亿元。",
 [], [], [("mkt", "主力资金净流出")], ["risks"]),
("rk-z03", "2025-09-02", "行业调研显示，企业大模型应用的渗透率仍低，多数项目停留在试点。",
 [], [], [("adopt", "渗透率仍低")], ["risks"]),
("rk-z04", "2025-09-03", "厂商表示，大模型在金融行业的商业化进展并未放缓。",
 [], [], [], ["risks"]),
("rk-z05", "2025-08-12", "新一代国产芯片的良率偏低，量产时间慢于预期。",
 [], [], [("tech", "良率偏低")], ["risks"]),
("rk-z06", "2025-07-30", "监管部门表示，对违规提供生成式AI服务的平台将依法处理。",
 [], [], [("pol", "依法处理")], ["risks"]),
]
