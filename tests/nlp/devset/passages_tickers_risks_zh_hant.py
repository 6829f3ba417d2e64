"""Dev passages (traditional Chinese, Hong Kong and Taiwanese usage) for tickers attached to
their company and for risk compositions over the OpenCC-simplified copy. Forms learned from
the Hong Kong market columns and Taiwanese wire copy listed in FORMS.md (騰訊（0700.HK）, 收市,
急挫, 沽售, 北水; 外資賣超, 賣壓); sentences and facts are our own.

Tuple: (id, published_at, text, entity specs, metric specs, risk specs, forms).
"""

# fmt: off
LANG = "zh"
VARIANT = "zh-Hant"
ORIGIN = "real-form"
PASSAGES = [
("tk-t01", "2026-01-22", "智譜（02513.HK）收市升4.2%，稀宇科技（0100.HK）則倒跌。",
 ["c:智譜=zhipu", "c:02513.HK=zhipu", "c:稀宇科技=minimax", "c:0100.HK=minimax"], [], [], ["scripts", "entities"]),
("tk-t02", "2025-11-18", "阿里巴巴（9988.HK）及百度集團（9888.HK）早段造好。",
 ["c:阿里巴巴=alibaba", "c:9988.HK=alibaba", "c:百度集團=baidu", "c:9888.HK=baidu"], [], [], ["scripts", "entities"]),
("rk-t01", "2025-12-02", "外資連日賣超AI伺服器族群，科技股賣壓沉重。",
 [], [], [("mkt", "外資連日賣超AI伺服器族群")], ["scripts", "risks"]),
("rk-t02", "2025-11-27", "北水連續三日淨賣出內地AI股，市場情緒轉趨審慎。",
 [], [], [("mkt", "北水連續三日淨賣出內地AI股")], ["scripts", "risks"]),
("rk-t03", "2025-10-09", "企業對生成式AI的採用仍處於起步階段，規模部署的個案不多。",
 [], [], [("adopt", "企業對生成式AI的採用仍處於起步階段")], ["scripts", "risks"]),
("rk-t04", "2025-09-16", "新版模型的推理表現不及舊版，錯誤答案增多。",
 [], [], [("tech", "新版模型的推理表現不及舊版")], ["scripts", "risks"]),
("rk-t05", "2025-08-21", "歐盟人工智能法案實施後，在歐營運的AI企業合規成本上升。",
 ["p:歐盟人工智能法案=eu-ai-act"], [], [("pol", "合規成本上升")], ["scripts", "risks"]),
("rk-t06", "2025-08-22", "分析師指出，AI晶片股近日的回落並未動搖機構持倉。",
 [], [], [], ["scripts", "risks"]),
("rk-t07", "2025-07-14", "主管機關對違規蒐集個資的AI業者開罰，並要求限期改善。",
 [], [], [("pol", "開罰")], ["scripts", "risks"]),
]
