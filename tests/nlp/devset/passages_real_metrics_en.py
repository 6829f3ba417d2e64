"""Dev-set English passages for the metric forms of issue 12 that the rules still missed (second
round, written before the rules changed). Each block names the stored public pages where the
form was seen; the sentences and the facts are mine (illustrative), none is copied.

Tuple: (id, published_at, text, entity specs, metric specs, risk specs, forms).
"""

# fmt: off
LANG = "en"
ORIGIN = "real-form"
N = None
PASSAGES = [
# --- prices: sides after the amount, the denominator at the end of a list; "/M"; "$a/$b per MTok
# (input/output)"; cache hit / cache miss named after the amount. Seen on tokenmix.ai
# (deepseek-cache-hit-pricing), costhawk.ai (glossary/token-pricing), askbobai.com
# (ai-token-pricing-explained), albertml.com (Per-Token Pricing), gptcrunch.com pricing guide.
("dm-001", "2026-04-30", "DeepSeek lists its Flash tier at $0.003 cache-hit input, $0.15 cache-miss input and $0.30 output per 1M tokens.",
 ["c:DeepSeek=deepseek"], [("p", 0.003, N, "USD", "cached_input", "deepseek", "2026-04-30"), ("p", 0.15, N, "USD", "input", "deepseek", "2026-04-30"), ("p", 0.3, N, "USD", "output", "deepseek", "2026-04-30")], [],
 ["prices"]),
("dm-002", "2026-03-16", "At the low end, Gemini Flash costs $0.12/$0.45 per MTok (input/output).",
 ["m:Gemini Flash=gemini"], [("p", 0.12, N, "USD", "input", "gemini", "2026-03-16"), ("p", 0.45, N, "USD", "output", "gemini", "2026-03-16")], [],
 ["prices"]),
("dm-003", "2026-06-02", "Anthropic now prices Claude at $4 input and $20 output per million tokens on its API.",
 ["c:Anthropic=anthropic", "m:Claude=claude"], [("p", 4.0, N, "USD", "input", "claude", "2026-06-02"), ("p", 20.0, N, "USD", "output", "claude", "2026-06-02")], [],
 ["prices"]),
("dm-004", "2026-06-02", "OpenAI charges $6 input and $36 output for GPT-5, with cached input at $0.60/M.",
 ["c:OpenAI=openai", "m:GPT-5=gpt-5"], [("p", 6.0, N, "USD", "input", "gpt-5", "2026-06-02"), ("p", 36.0, N, "USD", "output", "gpt-5", "2026-06-02"), ("p", 0.6, N, "USD", "cached_input", "gpt-5", "2026-06-02")], [],
 ["prices"]),
("dm-005", "2026-04-27", "DeepSeek-V3 input costs $0.30 per million tokens on a cache miss and $0.03 on a cache hit.",
 ["m:DeepSeek-V3=deepseek-v3"], [("p", 0.3, N, "USD", "input", "deepseek-v3", "2026-04-27"), ("p", 0.03, N, "USD", "cached_input", "deepseek-v3", "2026-04-27")], [],
 ["prices"]),
("dm-006", "2026-05-10", "Pricing example: input $2.50 per million tokens, output $12 per million tokens for GPT-4o.",
 ["m:GPT-4o=gpt-4o"], [("p", 2.5, N, "USD", "input", "gpt-4o", "2026-05-10"), ("p", 12.0, N, "USD", "output", "gpt-4o", "2026-05-10")], [],
 ["prices"]),
("dm-007", "2026-02-11", "Qwen's flagship is billed at $1.60 per million input tokens and $6.40 per million output tokens.",
 ["m:Qwen=qwen"], [("p", 1.6, N, "USD", "input", "qwen", "2026-02-11"), ("p", 6.4, N, "USD", "output", "qwen", "2026-02-11")], [],
 ["prices"]),
# --- price changes in words. Seen on chaobro.com (deepseek-api-cache-pricing: "down to 1/10th of
# the original price", "75% OFF"), blog.discoverlabs.ac.cn (prompt-caching: "reduced the cache hit
# price to one-tenth of the original", "a limited-time 75% discount"), datalearner.com
# (api-pricing-modes: batch "50% price discount").
("dm-010", "2026-04-26", "DeepSeek cut its cache-hit price to one-tenth of the original across all models.",
 ["c:DeepSeek=deepseek"], [("c", -0.9, N, N, "cached_input", "deepseek", "2026-04-26")], [],
 ["price_changes"]),
("dm-011", "2026-04-26", "The input cache price of DeepSeek-V3 drops to 1/10th of the original price, effective immediately.",
 ["m:DeepSeek-V3=deepseek-v3"], [("c", -0.9, N, N, "cached_input", "deepseek-v3", "2026-04-26")], [],
 ["price_changes"]),
("dm-012", "2026-04-24", "Two days after launch, DeepSeek put its Pro model on a limited-time 75% discount.",
 ["c:DeepSeek=deepseek"], [("c", -0.75, N, N, N, "deepseek", "2026-04-24")], [],
 ["price_changes"]),
("dm-013", "2025-09-03", "Moonshot is offering a 50 per cent discount on Kimi API prices until the end of the month.",
 ["c:Moonshot=moonshot", "m:Kimi=kimi"], [("c", -0.5, N, N, N, "kimi", "2025-09-03")], [],
 ["price_changes"]),
("dm-014", "2025-08-07", "OpenAI said GPT-5 API prices would be roughly half those of GPT-4o.",
 ["c:OpenAI=openai", "m:GPT-5=gpt-5", "m:GPT-4o=gpt-4o"], [], [],
 ["price_changes", "distractors"]),
("dm-015", "2024-05-13", "With the new model, OpenAI delivered a 2x price cut for developers on its API.",
 ["c:OpenAI=openai"], [("c", -0.5, N, N, N, "openai", "2024-05-13")], [],
 ["price_changes"]),
("dm-016", "2025-11-20", "Google lowered Gemini output prices from $10 to $5 per million tokens.",
 ["c:Google=google", "m:Gemini=gemini"], [("p", 10.0, N, "USD", "output", "gemini", "2025-11-20"), ("p", 5.0, N, "USD", "output", "gemini", "2025-11-20")], [],
 ["price_changes", "prices"]),
# --- comparisons that are not changes. Seen on hashnode.com (owenf: "a 50x discount" of cache
# reads versus misses), learnerszone.net ("Haiku is 75% cheaper"), tokenrate.dev glossary.
("dm-020", "2026-05-01", "On Claude, cache reads cost 90% less than fresh input tokens.",
 ["m:Claude=claude"], [], [],
 ["price_changes", "distractors"]),
("dm-021", "2026-03-11", "For simple tasks, Gemini Flash is 80% cheaper than GPT-4o with little loss in quality.",
 ["m:Gemini Flash=gemini", "m:GPT-4o=gpt-4o"], [], [],
 ["price_changes", "distractors"]),
# --- volumes: "t"/"T" trillion, digits with commas, "this was up from … a year before" in a
# sentence of its own, "N-fold increase from X". Seen on smithstephen.com (Gemini tokens per
# month, "up from 9.7 trillion tokens just one year before"), keepingupwith.ai and
# emeraldforce.com ("a seven-fold increase from the 480 trillion"), bebeez.eu ("almost
# 1,000,000,000,000,000 tokens last month"), tomtunguz.com ("1,300 trillion tokens per month").
("dm-030", "2025-07-28", "Google said Gemini processed 960 trillion tokens per month in July. This was up from 9.5 trillion tokens one year before.",
 ["c:Google=google", "m:Gemini=gemini"], [("v", 9.6e14, "month", N, N, "gemini", "2025-07"), ("v", 9.5e12, "month", N, N, "gemini", "2024-07")], [],
 ["numbers", "periods"]),
("dm-031", "2026-05-19", "Google is now processing 3.1 quadrillion tokens a month, a sevenfold increase from the 450 trillion monthly tokens it reported a year earlier.",
 ["c:Google=google"], [("v", 3.1e15, "month", N, N, "google", "2026-05-19"), ("v", 4.5e14, "month", N, N, "google", "2025-05-19")], [],
 ["numbers", "periods"]),
("dm-032", "2025-07-25", "\"We processed almost 900,000,000,000,000 tokens last month,\" the DeepMind chief wrote.",
 ["c:DeepMind=google"], [("v", 9e14, "month", N, N, "google", "2025-06")], [],
 ["numbers", "periods"]),
("dm-033", "2025-04-30", "Microsoft said Azure processed 110t tokens this quarter, five times more than a year ago.",
 ["c:Microsoft=microsoft", "c:Azure=azure"], [("v", 1.1e14, N, N, N, "azure", "2025-04-30")], [],
 ["numbers"]),
("dm-034", "2026-01-14", "OpenRouter's weekly leaderboard shows Grok at 1.9T tokens, ahead of Claude at 1.2T.",
 ["c:OpenRouter=openrouter", "m:Grok=grok", "m:Claude=claude"], [("v", 1.9e12, "week", N, N, "grok", "2026-01-14"), ("v", 1.2e12, "week", N, N, "claude", "2026-01-14")], [],
 ["numbers", "periods", "attribution"]),
("dm-035", "2026-05-19", "Its model APIs alone now handle 18 billion tokens per minute, Google said.",
 ["c:Google=google"], [("v", 1.8e10, "minute", N, N, "google", "2026-05-19")], [],
 ["numbers", "periods", "attribution"]),
# --- distractors. Seen on keepingupwith.ai ("375 customers each consumed more than 1 trillion
# tokens"), juejin.cn cost case study (GPU server per month), aimultiple GPU index.
("dm-040", "2026-05-19", "More than 300 cloud customers each consumed over 1 trillion tokens in the past 12 months.",
 [], [], [],
 ["distractors"]),
("dm-041", "2026-02-03", "H100 rental prices fell to $1.90 per GPU-hour, a 40% drop from a year earlier.",
 [], [], [],
 ["distractors"]),
("dm-042", "2026-03-05", "Shares of the AI token startup fell 12% after its quarterly revenue came in at $90 million.",
 [], [], [],
 ["distractors"]),
("dm-043", "2025-10-08", "The Tier 4 plan allows 2,000,000 TPM and 10,000 RPM for GPT-4o.",
 ["m:GPT-4o=gpt-4o"], [], [],
 ["distractors"]),
# --- more English forms: a number a few words from its unit ("tokens processed … reached 8
# trillion", "1.5 trillion of them"), "tn", per-day rates after "in tokens", "respectively" lists,
# "US$ … per million tokens for cache hits", "$X/1M input", "Nx cheaper" cuts, old → new prices.
# (As in de-029, a change whose side is named only in the price after it has no side.)
# Seen on smithstephen.com and adam.holter.com (Google monthly tokens, "OpenAI is processing
# around 260 trillion tokens per month … Groq is north of 50 trillion"), tomtunguz.com (earnings
# notes, "100t tokens"), deepseek-apk.com blog ("$0.07/M"), tokenrate.dev ("$3 / 1M input").
("dm-050", "2025-10-12", "OpenAI is handling around 250 trillion tokens per month, while Anthropic is north of 40 trillion.",
 ["c:OpenAI=openai", "c:Anthropic=anthropic"], [("v", 2.5e14, "month", N, N, "openai", "2025-10-12"), ("v", 4e13, "month", N, N, "anthropic", "2025-10-12")], [],
 ["numbers", "periods", "attribution"]),
("dm-051", "2025-04-30", "The number of tokens Microsoft processed across its platforms reached more than 100tn in the quarter.",
 ["c:Microsoft=microsoft"], [("v", 1e14, N, N, N, "microsoft", "2025-04-30")], [],
 ["numbers"]),
("dm-052", "2026-02-18", "Doubao and Qwen handled 60 trillion and 35 trillion tokens a day, respectively.",
 ["m:Doubao=doubao", "m:Qwen=qwen"], [("v", 6e13, "day", N, N, "doubao", "2026-02-18"), ("v", 3.5e13, "day", N, N, "qwen", "2026-02-18")], [],
 ["attribution", "numbers", "periods"]),
("dm-053", "2026-02-26", "DeepSeek charges US$0.028 per million tokens for cache hits outside peak hours.",
 ["c:DeepSeek=deepseek"], [("p", 0.028, N, "USD", "cached_input", "deepseek", "2026-02-26", "off_peak")], [],
 ["prices"]),
("dm-054", "2026-01-09", "Mistral Large now lists at $1.50/1M input and $4.50/1M output.",
 ["m:Mistral Large=mistral-large"], [("p", 1.5, N, "USD", "input", "mistral-large", "2026-01-09"), ("p", 4.5, N, "USD", "output", "mistral-large", "2026-01-09")], [],
 ["prices"]),
("dm-055", "2025-12-01", "xAI cut Grok prices fourfold, from $8 to $2 per million output tokens.",
 ["c:xAI=xai", "m:Grok=grok"], [("c", -0.75, N, N, N, "grok", "2025-12-01"), ("p", 8.0, N, "USD", "output", "grok", "2025-12-01"), ("p", 2.0, N, "USD", "output", "grok", "2025-12-01")], [],
 ["price_changes", "prices"]),
("dm-056", "2025-06-11", "OpenAI slashed o3 prices by 80 per cent, to $2 per million input tokens.",
 ["c:OpenAI=openai"], [("c", -0.8, N, N, N, "openai", "2025-06-11"), ("p", 2.0, N, "USD", "input", "openai", "2025-06-11")], [],
 ["price_changes", "prices"]),
("dm-057", "2025-09-30", "Anthropic kept Claude input at $3 per million tokens, half what it charged a year ago.",
 ["c:Anthropic=anthropic", "m:Claude=claude"], [("p", 3.0, N, "USD", "input", "claude", "2025-09-30")], [],
 ["prices", "price_changes"]),
("dm-058", "2026-03-02", "Tencent said Hunyuan now serves 3 trillion tokens daily, triple the level of a year ago.",
 ["c:Tencent=tencent", "m:Hunyuan=hunyuan"], [("v", 3e12, "day", N, N, "hunyuan", "2026-03-02")], [],
 ["numbers", "periods"]),
("dm-059", "2025-11-11", "Daily token usage on the platform hit 1.2 trillion in October, compared with 300 billion a year ago.",
 [], [("v", 1.2e12, "day", N, N, N, "2025-10"), ("v", 3e11, "day", N, N, N, "2024-10")], [],
 ["numbers", "periods"]),
# --- number words before a magnitude, "tokens in June" as that month's volume, the 7-day window
# of weekly rankings, "N% off", "cost per token … halved", "cutting … by 100%", "against X a year
# ago", GPU-model price cuts as distractors. Seen on bebeez.eu and aibase.com/news/19996 ("more
# than 980 trillion tokens in June", "nearly a quadrillion"), OpenRouter ranking summaries
# (vpsmesh.com, "7-day rolling window"), deepseek-apk.com ("up to 75% off", "50% off all
# rates"), tomtunguz.com ("cost per token … more than halved"), techreaderdaily.com and
# aimultiple.com/gpu-index ("AWS cut H100 pricing by 44%").
("dm-060", "2025-08-02", "Alphabet said its systems handled nearly one quadrillion tokens in July.",
 ["c:Alphabet=google"], [("v", 1e15, "month", N, N, "google", "2025-07")], [],
 ["numbers", "periods"]),
("dm-061", "2025-09-09", "Kimi crossed a trillion tokens a day for the first time last week.",
 ["m:Kimi=kimi"], [("v", 1e12, "day", N, N, "kimi", "2025-09-02")], [],
 ["numbers", "periods"]),
("dm-062", "2026-01-20", "Claude ranked second with 8.4T tokens across the seven-day rolling window.",
 ["m:Claude=claude"], [("v", 8.4e12, "week", N, N, "claude", "2026-01-20")], [],
 ["numbers", "periods"]),
("dm-063", "2025-03-01", "DeepSeek is offering up to 50% off during its overnight window.",
 ["c:DeepSeek=deepseek"], [("c", -0.5, N, N, N, "deepseek", "2025-03-01", "off_peak")], [],
 ["price_changes"]),
("dm-064", "2025-06-30", "The cost per token of frontier models has more than halved since January, analysts said.",
 [], [("c", -0.5, N, N, N, N, "2025-06-30")], [],
 ["price_changes"]),
("dm-065", "2024-05-21", "Baidu made two ERNIE models free, cutting their price by 100%.",
 ["c:Baidu=baidu", "m:ERNIE=ernie"], [("c", -1.0, N, N, N, "ernie", "2024-05-21")], [],
 ["price_changes"]),
("dm-066", "2025-10-20", "Qwen served 9 trillion tokens per day in September, against 2.5 trillion a year ago.",
 ["m:Qwen=qwen"], [("v", 9e12, "day", N, N, "qwen", "2025-09"), ("v", 2.5e12, "day", N, N, "qwen", "2024-09")], [],
 ["numbers", "periods"]),
("dm-067", "2026-02-10", "Oracle cut its H200 instance pricing by 30% this quarter.",
 ["c:Oracle=oracle"], [], [],
 ["distractors"]),
# --- sides: "per million input and output tokens respectively" after the amounts, "by 78% for
# input and 71% for output", "/M input tokens on a cache hit". Seen on gptcrunch.com and
# costhawk.ai pricing guides, Google's Gemini 1.5 Flash price-cut coverage (input/output cut
# by different percentages), deepseek-apk.com/blogs/125 ("$0.07/M").
("dm-070", "2025-08-08", "GPT-5 nano costs $0.05 and $0.40 per million input and output tokens respectively.",
 ["m:GPT-5=gpt-5"], [("p", 0.05, N, "USD", "input", "gpt-5", "2025-08-08"), ("p", 0.4, N, "USD", "output", "gpt-5", "2025-08-08")], [],
 ["prices", "attribution"]),
("dm-071", "2024-08-12", "Google lowered Gemini Flash prices by 70% for input and 65% for output.",
 ["c:Google=google", "m:Gemini Flash=gemini"], [("c", -0.7, N, N, "input", "gemini", "2024-08-12"), ("c", -0.65, N, N, "output", "gemini", "2024-08-12")], [],
 ["price_changes"]),
("dm-072", "2025-01-20", "DeepSeek-R1 costs $0.14/M input tokens on a cache hit.",
 ["m:DeepSeek-R1=deepseek-r1"], [("p", 0.14, N, "USD", "cached_input", "deepseek-r1", "2025-01-20")], [],
 ["prices"]),
# --- "somewhere between X and Y" gives its lower bound (automate.bworldtools.com and OpenRouter
# summaries: "between 5 and 6 trillion tokens a week").
("dm-080", "2026-01-12", "OpenRouter now routes somewhere between 7 and 8 trillion tokens a week.",
 ["c:OpenRouter=openrouter"], [("v", 7e12, "week", N, N, "openrouter", "2026-01-12")], [],
 ["numbers", "periods"]),
]
