"""Dev passages (English) for tickers attached to their company and for risk compositions.
Forms learned from the pages listed in FORMS.md (company names with exchange codes in
brackets, "Nvidia (NVDA)"; market reports with sell-off/tumbled; adoption surveys of pilots
that never reach production); sentences and facts are our own.

Tuple: (id, published_at, text, entity specs, metric specs, risk specs, forms).
"""

# fmt: off
LANG = "en"
VARIANT = "en"
ORIGIN = "real-form"
PASSAGES = [
("tk-e01", "2026-01-23", "Zhipu (2513.HK) jumped 7% while MiniMax (0100.HK) slipped.",
 ["c:Zhipu=zhipu", "c:2513.HK=zhipu", "c:MiniMax=minimax", "c:0100.HK=minimax"], [], [], ["entities"]),
("tk-e02", "2025-11-20", "Shares of NVDA and BABA moved in opposite directions on Tuesday.",
 ["c:NVDA=nvidia", "c:BABA=alibaba"], [], [], ["entities"]),
("rk-e01", "2025-11-21", "AI chip stocks tumbled as the sell-off spread to cloud names.",
 [], [], [("mkt", "AI chip stocks tumbled")], ["risks"]),
("rk-e02", "2025-10-02", "Most enterprise pilots never made it to production, the survey found.",
 [], [], [("adopt", "Most enterprise pilots never made it to production")], ["risks"]),
("rk-e03", "2025-10-03", "The new model hallucinated more than its predecessor on the benchmark.",
 [], [], [("tech", "The new model hallucinated more")], ["risks"]),
("rk-e04", "2025-10-04", "Analysts said there was no evidence of weak demand for inference.",
 [], [], [], ["risks"]),
]
