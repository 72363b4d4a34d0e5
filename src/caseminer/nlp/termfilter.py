"""Is a discovered string a term, or a piece of a clause?

Statistical discovery on one short case finds strings that recur twice, and some
of those are clause pieces rather than terms: 在内地贫困地区 (a preposition at the
edge), 落后的观念 (a particle inside), 新的, 没少, 有暴雨, 年年. A term a
researcher would write is a noun phrase or a named measure; this filter cuts the
string with the general lexicon (jieba's dictionary, HMM off) and rejects it when
its edges or inside carry function words, or when it opens with a predicate verb
(推进农村, 带动贫困户: a verb-object phrase). It also rejects the phrases of news and
policy register that recur as often as terms: a subject or manner before a reporting or
predicate verb (总书记指出, 会议强调, 扎实推进, 贫困人口减少), a group of people and the outcome
it reaches (贫困人口脱贫, 群众脱贫致富), a verb of support and the programme it serves
(助力乡村振兴), a verb and its complement (结合起来, 解决好), references to persons by
title (习近平总书记, 国家主席) or as a group (乡亲们), and strings placed in time or space by
a time word or localiser at the end or a time adverbial at the start (十八大以来, 座谈会上,
如期脱贫). Longer strings (discovery lists names of up to 16 characters) are also read for
what makes a clause anywhere: an adverb of degree first (十分关心), a verb with its result
first (打好|精准, or the result alone: 好|精准扶贫), the markers 把, 被, 并, 在, 要 and a
negation inside (扎扎实实把脱贫攻坚战推向前进, 习近平在人民大会堂, 生态环境没有替代品,
产业政策要准), a schedule before a verb
(如期打赢脱贫攻坚战), a visit, broadcast or permission first (看望慰问…, 播发…, 允许…), a
verb with a set phrase as object (发表重要讲话), a judging adjective at the end (增产明显),
a person named with a role or office (夫人彭丽媛, 第一书记余亚斌), a news outlet, its column or a
channel (央视快评, 人民日报发表评论员文章, 综合频道), the Party cut off before 的 or a verb's
object (新时代党 of 新时代党的民族工作, 号召全党), a small count of places (三个村), a
preposition and its object (以实际行动) or between two words (群众用积分, 重心向基层下移), an
enumerator (一是), a comparison (同比增长), the tail of a count (条举措促进电子产品消费, 万个贫困村), a coordination of two things
(疫情防控和经济恢复, 建立和完善), a negated verb first (不算贫困户), a verb and its complement 起
(承担起), a reporting verb with its object (告诉记者), villages or towns by name (化屋村,
龙泉关镇, or the end of one: 湾村), strings made only of policy texts' abstract vocabulary
(体制机制), a quantifier first (部分地区, 所有贫困户, 有关部门: how much of a thing) or
closed by an abstract head (扶贫工作; but what is measured of the domain's own process is a
term: 脱贫质量, 致贫原因), a manner adverbial before its verb (充分彰显, 积极稳妥推进), a
suffix cut off its stem (性服务业 of 营利性服务业), a verb that opens or closes a predicate
(支持民营企业, 全部完成), praise (辉煌成就, 历史性跨越), a stage called new (新征程, 新时代), the
people of a whole nation (全国各族人民), an adverbial cut off its verb (采取切实), a place or period
and "within" (过渡期内), a book's imprint (人民出版社出版) and a name's last character before a
word that opens with it (村村干部). A word the lexicon lists whole is read as its two words for the
register's patterns, and a set verb phrase the lexicon lists (充满信心, 深入基层) is one too.
Edges are judged by the lexicon's words, not by characters: 就业扶贫
and 对口帮扶 start with 就 and 对 but with the words 就业 and 对口. It is deliberately
conservative: domain terms ending in verbal nouns (防贫预警, 易地搬迁, 产业扶贫) pass.
:func:`is_discovery` also drops person names (discovery finds the names a text repeats) and
general vocabulary the lexicon knows well; :func:`is_organisation` tells the organisations the
lexicon names, which a case's list leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from .inner_spans import COMMON_VERB_FREQ
from .lexicon import ATTRIBUTIVE_ADVERBS, rare_surname_name

# jieba/ICTCLAS tags of words that never start a term (conjunctions, particles,
# pronouns, adverbs, modal particles, interjections, onomatopoeia, localisers) ...
_BAD_START = {"c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d", "y", "e", "o", "f"}
# ... and never end one (plus localisers: 在...上, ...中).
_BAD_END = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "d", "y", "e", "o", "r"}
# Particles that make a string a phrase, wherever they are.
_PARTICLES = {"的", "了", "着", "过", "地", "得", "之", "所"}
# ... of which those that mark a verb's aspect, never inside a coined term of one-character
# words (坚中之坚 keeps its 之, 搬得出 and 稳得住 their 得)
_ASPECT_PARTICLES = {"了", "着", "过"}
# Where something is, after a word: 贫困户|家中, 群众|身边 (at someone's home, beside them);
# and 时, "when", closing a clause (离开村子时)
_PLACE_ENDINGS = {"家中", "家里", "村里", "手中", "心中", "眼中", "身边", "时"}
# The first of two items of "one X, one Y" with the second cut off: 一户一(策), 一村一(品)
_CUT_PAIR = re.compile(r"^一.一$")
# One-character adjectives that end nouns: a social problem named by its difficulty or cost
# (看病难, 看病贵, 融资难融资贵), and 乐 of 农家乐 (渔家乐, 藏家乐: a researcher's keyword)
_NOUN_ADJECTIVES = {"难", "贵", "乐"}
# A plenary session cut before 全会: 十九届二中 (of 十九届二中全会; jieba cuts 二中, a school)
_CUT_PLENUM = re.compile(r"届[一二三四五六七八九]中$")
# Light verbs and prepositions that open clauses rather than terms (有暴雨, 是关键, 在村里)
# when the lexicon cuts them off as a word of their own; inside a word they are no
# clause opener (就业扶贫, 对口帮扶, 自主创业). Prepositions are judged by this list
# rather than by their tag: 因 opens terms (因病致贫).
_LIGHT_VERBS = {"有", "是", "在", "要", "让", "把", "被", "给", "对", "向", "从", "将", "并", "也", "都", "还", "又",
                "就", "才", "很", "没", "不", "为", "与", "和", "跟", "同", "按", "据", "由", "于", "当", "自",
                # modal verbs (能公司 from 孚能公司 and 晶能公司: 能 is cut off as "can")
                "能", "会", "可", "应", "须",
                # "and also", joining two names of an event (暨世界反法西斯战争胜利); "relying on"
                # (80%要靠公路: 靠公路, a poverty story's keyword)
                "暨", "靠",
                # "taking" a time or means (用三年时间: a keyword of a poverty story)
                "用",
                # "making" and "doing" (作|宣讲|报告: 15 general stories' keyword; 作表率, 做强国内大循环:
                # judged register phrases)
                "作", "做",
                # "in order to" before a verb (来认识, 来衡量: a general story's keyword, a judged
                # register phrase)
                "来",
                # the causative (使国民经济, of 使国民经济持续发展: a government work report's keyword;
                # 使全体人民, 使更多: judged)
                "使"}
# Modal verbs of two characters (应该, 需要): at either edge they belong to a predicate.
_MODALS = {"应该", "应当", "需要", "可以", "能够", "必须", "务必", "愿"}
# Adverbs of degree and aspect that never stand inside a term (培育更多, 做得更好, 已全部):
# wherever the lexicon cuts one off as a word of its own, the string is a predicate.
_INNER_ADVERBS = {"更", "很", "最", "都", "也", "还", "再", "又", "才", "已", "正", "均", "皆", "全部", "更加"}
# Words that make a clause wherever they stand: the disposal and passive markers, the
# clause conjunction 并, the preposition 在 and negated predicates (扎扎实实把脱贫攻坚战推向前进,
# 座谈会并发表重要讲话, 习近平在人民大会堂, 生态环境没有替代品); as a word of their own, not
# inside 在线 or 存在.
_CLAUSE_MARKERS = {"把", "被", "并", "在", "没有", "不是", "要",
                   # "is spent on": what a fund is used for (中央财政用于科技, 资金用于; every judged
                   # string holding it is a clause piece)
                   "用于",
                   # the causative: 大数据让扶贫更加精准 (the name of an exhibition hall, a keyword)
                   "让",
                   # "carries out" and "year on year" inside a clause: 问题进行, 国进行正式 (of
                   # 对…国进行正式访问, a general story's keyword), 利润同比增长; every judged string
                   # holding one is a clause piece or a register phrase
                   "进行", "同比",
                   # a ceremony held at a place (北京人民大会堂举行仪式, 总理府举行仪式; 国务院新闻办公室
                   # 举行新闻发布会, judged a register phrase)
                   "举行",
                   # the causative, and demonstratives (以经济建设这个中心, 发展这个第一要务)
                   "使", "这个", "这些", "那个", "这一"}
# Adverbs of continuation inside a string make it a predicate (体系不断完善, 信贷结构持续优化,
# 伟大事业继续推向前进); 可|持续 is the modal of a term (可持续发展).
_CONTINUATION_ADVERBS = {"不断", "继续", "持续",
                         # "in a row" before its verb (沙化土地面积连续|减少: 沙化土地面积连续, a story's list)
                         "连续"}
# The end of the frame 以 X 为 Y (以供给侧结构性改革为主线): without its 以, no term.
_FRAME_END = re.compile(r"为(?:主线|引领|导向|核心|重点|抓手|目标|主体|基础|支撑|载体|突破口|切入点|主攻方向|根本)$")
# Time words that point from the text's own day (今年, 当前): a string opening with one dates a
# statement (今年一季度, 今年中央财政, 今年将深化), it names nothing that lasts.
_DEICTIC_TIMES = {"今年", "去年", "明年", "前年", "当年", "今后", "目前", "当前", "如今", "眼下"}
# Adverbials of schedule: before a verb they make a predicate (如期打赢脱贫攻坚战).
_SCHEDULE_ADVERBS = {"如期", "提前", "按期", "尽快", "早日"}
# Verbs that take a clause or an object (要求落实, 给予肯定, 还有困难), and negation: as the
# first word they open a predicate, not a term.
_CLAUSE_VERBS = {"要求", "给予", "把握", "还有", "才能", "就是", "有利于", "有助于", "有着", "据统计", "据介绍",
                 "被誉为", "没有", "不能", "不想", "不会", "不负", "不要", "不再", "是否",
                 # verbs used as prepositions: "as", "through", "according to" (作为重大, 通过发展)
                 "作为", "成为", "通过", "按照", "根据", "围绕", "面对", "针对", "借助", "面向", "来自",
                 # permission: 允许在校学生休学创业, 获准开业; comparison: 同比增长, 环比下降
                 "允许", "获准", "同比", "环比"}
# Verbs with which policy texts open a predicate (推进农村…, 带动贫困户, 实施乡村振兴战略):
# as the first word of a longer string they make it a verb-object phrase, not a term. Verbs
# that also modify nouns in terms (治理体系, 就业岗位, 集中连片, 巩固脱贫成果) are not listed.
_PREDICATE_VERBS = {"推进", "推动", "实现", "实施", "带动", "带领", "帮助", "促进", "加快", "加强", "加大", "坚持",
                    "提升", "提高", "改善", "增加", "增强", "引进", "提供", "取得", "贯彻", "落实", "学习", "作出",
                    "做好", "抓好", "开展", "召开", "希望", "克服", "走上", "回到", "具有", "考察", "减少", "确保",
                    "打造", "推出", "深化", "完善", "健全", "发挥", "加速", "达到", "保持", "培育",
                    "解决", "打赢", "瞄准", "庆祝",
                    # verbs of support that take the programme as object (助力乡村振兴, 助推脱贫攻坚)
                    "助力", "助推", "投身",
                    # joining and taking part: the object is what is joined (加入合作社, 参加培训)
                    "加入", "参加",
                    # more verbs of the register (补齐短板, 激发内生动力, 弘扬脱贫攻坚精神, 构建新发展格局,
                    # 走出一条…). Against every label of the benchmarks they reject 92 register phrases,
                    # 16 fragments, 5 general words and no term (session 13); 拓展, 推广 and 维护 are
                    # left out for 巩固拓展脱贫攻坚成果, 农技推广 and 两个维护
                    "创造", "补齐", "激发", "凝聚", "弘扬", "践行", "守住", "构建", "建立", "推行", "强化",
                    "优化", "聚焦", "探索", "营造", "形成", "展现", "谱写", "迈向", "迈出", "走出", "交出"}
# The outcomes a programme brings its people (脱贫, 致富): after a group of people
# or a whole place as subject they make a clause (贫困人口脱贫, 群众脱贫致富, 全国脱贫), not a
# term. Terms that end in them name a way or kind (精准脱贫, 产业扶贫, 规模性返贫).
_OUTCOME_VERBS = {"脱贫", "致富", "脱贫致富", "摆脱贫困", "返贫", "受益", "奔小康", "不愁吃", "不愁穿"}
# The subjects of those outcomes: groups of people, whole places, and the scope of all of
# them (全部, 整体: 全部脱贫).
_SUBJECTS = {"人口", "贫困人口", "农村贫困人口", "贫困户", "群众", "贫困群众", "村民", "农民", "农户", "百姓",
             "老百姓", "居民", "人民", "家庭", "乡亲", "乡亲们", "贫困家庭", "当地", "全国", "全部", "整体",
             "全村", "全县", "全省"}
# Words that name people in general, and the scope of a group of them: a string made of
# them alone and headed by one of _PEOPLE_HEADS is a group of people (干部群众, 人民群众,
# 各族群众, 各界人士), not a term; the groups a policy names are terms by another word (脱贫群众,
# 搬迁群众, 驻村干部). Cadres are no such head: researchers picked 党员干部, 基层干部 and
# 基层党员干部 as keywords of stories about them. Over every label of the benchmarks (session
# 18): 23 general words and 6 register phrases of the judged lists, 2 general words of the
# case lists, no term and no gold keyword.
_PEOPLE_WORDS = {"干部", "群众", "人民", "各族", "当地", "基层", "党员", "职工", "村民", "农民", "居民", "百姓",
                 "老百姓", "广大", "全体", "各界", "人士",
                 # the scope of a whole nation or Party (全国各族人民, 全党全国各族人民: a story's keyword)
                 "全国", "全党"}
_PEOPLE_HEADS = {"群众", "人民", "人士", "职工", "村民", "农民", "居民", "百姓", "老百姓"}
# Words that quantify what follows (部分|地区, 所有|贫困户, 大量|资金, 有关|部门, 全体|党员): a
# quantified phrase says how much of a thing, it names none. jieba tags most of them as
# nouns or numerals (部分 n, 大量 n, 多数 m), so the tag tests pass them. Over every judged
# list of the benchmarks (session 37) the strings opened by one are 61 general words,
# register phrases and fragments, no term and no researcher's keyword; words the lexicon
# lists whole keep them (多种经营, 全体会议, 所有制).
_QUANTIFIERS = {"部分", "大部分", "个别", "全体", "所有", "全部", "多数", "大多数", "众多", "诸多", "许多", "不少",
                "大量", "大批", "一批", "一些", "若干", "多种", "多项", "多个", "整个", "各个", "一切", "各种",
                "各类", "各项", "有关", "相关", "其他", "其它", "某些", "有些",
                # "different" kinds of (不同地区, 不同类型, 不同阶层背景: 7 judged, all general)
                "不同"}
# Reporting verbs of news narrative that also open a clause (看望慰问各族干部群众, 来到…).
_VISIT_VERBS = {"看望", "慰问", "来到", "走进", "察看", "询问", "主持", "播发", "发布", "举行", "举办",
                # attending: 出席招待会, 出席解放军代表团全体会议 (case lists of general CCTV stories)
                "出席"}
# More verbs that open a predicate and take its object (支持|深度贫困地区, 维护|金融稳定,
# 防范|金融风险, 累计|投放, 进入|新时代, 砥砺|奋进), and verbs that close one (全部|完成,
# 基本|建成, 落地|见效, 砥砺|前行, 准确|把握, 担当|作为). Kept apart from _PREDICATE_VERBS,
# which other rules read too, and applied to strings of two or more words only: a word the
# lexicon lists whole is a unit (支持系统, 维护费用, 防范措施). Each was chosen for its
# grammar and checked against every label of the benchmarks (session 18): as the first or
# last word they mark 267 register phrases, 33 fragments, 3 general words and no term, no
# name and no researcher's keyword once names of measures are spared (造福|工程). 消除 and
# 统筹 are not listed: 消除绝对贫困 names a goal, 统筹城乡 a policy. Session 19 added 地处,
# 激活 and 达到 (地处石漠化地区 and 激活产业 among a 117-story project's keywords): 4 more
# fragments and 1 register phrase of the labels, nothing else. Session 20 added 制定, 投入,
# 发放, 纳入 and 打下, 开工, 收官, 请来, 定格, 进入 (小康社会打下, 扶贫项目开工, 制定脱贫 in
# the poverty stories' top 1000): 10 more register phrases, 5 fragments and 2 general words
# of the labels, nothing else. 吸纳 and 入住 are not listed: 吸纳就业 and 拎包入住 are
# researchers' keywords.
_OPENING_VERBS = {"支持", "维护", "防范", "应对", "累计", "进行", "鼓励", "得到", "降低", "增进", "开工",
                  "砥砺", "造福", "减轻", "共建", "履职", "深入", "敢于", "勇于", "支撑", "建成", "满足", "推向",
                  "运行", "开通", "担当", "拓展", "做到", "摆在", "用于", "稳住", "履行", "抢抓", "进入", "依靠",
                  "发表", "地处", "激活", "制定", "投入", "发放", "纳入",
                  # the method of an academic text: 采用随机控制实验, 基于面板数据 (ChinaXiv papers)
                  "采用", "借助", "基于", "针对",
                  # cause, analysis and conduct in an academic text: 影响精准扶贫, 导致个体,
                  # 接受现实, 等待政府救援, 吃健康食品 (keywords of ChinaXiv papers; every judged
                  # string opening with one is a clause piece or general, none of 1,735 terms
                  # and researchers' keywords opens with one)
                  "影响", "导致", "造成", "使得", "分析", "探讨", "揭示", "反映", "接受", "等待",
                  "适应", "缩小", "吃",
                  # a quantity set against another: 相当于全市生产总值 (16 times in five Shanghai
                  # government work reports, from 研发经费支出相当于全市生产总值的比例); no judged
                  # term or researcher's keyword opens with one
                  "相当于", "高于", "低于",
                  # 规范 as a verb and its object: 规范金融机构, 规范经营 (judged register phrases;
                  # the adjective's terms are cut 规范性|文件, 规范化|管理); what a report stresses or
                  # a measure reaches (注重实效, 覆盖城乡; 覆盖率 and 覆盖面 are words of their own)
                  "规范", "注重", "覆盖",
                  # improving and growing what follows: 改进基本医疗保险 (from 加强和改进基本医疗保险
                  # 参保指导), 壮大县域富民产业 (培育壮大…), keywords of poverty stories
                  "改进", "壮大",
                  # news of conflict and crime, and what a scene shows (打击恐怖主义, 抓获犯罪嫌疑人,
                  # 冲击国会大厦, 呈现新气象, 充满期待: keywords of general CCTV stories whose merges
                  # were judged, benchmarks/normalise_eval.py)
                  "打击", "抓获", "冲击", "呈现", "充满",
                  # 完成脱贫, 搬入新居, 压实责任, 丢下一个贫困群众 (the poverty stories' corpus list)
                  "完成", "搬入", "压实", "丢下",
                  # taking an office, assisting a body: 担任村支书, 协助党委 (case lists of the stories)
                  "担任", "协助",
                  # general stories' keywords: 诉诸外交途径, 汲取精神力量, 宣布合作建造核动力潜艇,
                  # 送往医院救治
                  "诉诸", "汲取", "宣布", "送往",
                  # what speeches ask to keep firm and to bring together (坚定信心, 坚定文化自信,
                  # 结合实际: every judged string opening with one is a register phrase)
                  "坚定", "结合",
                  # what a scene or an event brings about: 伸出援手, 引发抗议, 迎来客流高峰, 令人难忘
                  # (judged register phrases; general stories' keywords)
                  "伸出", "引发", "迎来", "令人",
                  # suffering, receiving and taking (遭枪杀, 受到热烈欢迎, 注入新动力, 夺取…胜利,
                  # 开启新征程, 领略…热土: judged register phrases and general stories' keywords)
                  "遭", "遭到", "遭受", "受到", "注入", "夺取", "开启", "领略",
                  # guaranteeing and accompanying (保证改革, 保证人民: judged register phrases and a
                  # government work report's keyword; 陪同李克强, a general story's)
                  "保证", "陪同",
                  # what a study session asks to grasp (领会习近平新时代…: a general story's keyword)
                  "领会"}
_CLOSING_VERBS = {"完成", "前行", "建成", "树立", "见效", "奋斗", "奋进", "把握", "作为", "下降", "增加", "可控",
                  "超过", "发现", "出发", "化解", "达到", "打下", "开工", "收官", "请来", "定格", "进入",
                  # 负向影响, 不利影响, 相互影响 (judged general, all of them); 以化石为主
                  "影响", "为主",
                  # a state judged worse: 生态环境恶化 (national work reports), a clause
                  "恶化",
                  # a verb left without its object: 非洲人摆脱 (极端贫困)
                  "摆脱",
                  # what a government "attaches great importance to" (中国高度重视, 国务院高度重视)
                  "重视", "高度重视",
                  # an amount that "reaches", "exceeds" or "makes up" a figure cut off (降雨量达,
                  # 资产规模达, 游客超, 投资占: judged fragments and register phrases, no term);
                  # what is "combined with" something (企业改革发展相结合)
                  "达", "超", "占", "相结合",
                  # what something "brings" (疫情带来 的经济影响: a poverty story's keyword)
                  "带来",
                  # cases a body "exposes" (国家税务总局曝光, a general story's list; 通报曝光,
                  # 公开曝光 judged register phrases); 曝光台 opens with it and stays
                  "曝光",
                  # what a person did once: 研究生毕业 (a keyword of a story about a village's first
                  # secretary: 2016年从北京师范大学研究生毕业)
                  "毕业",
                  # what a meeting "heard" (会议听取, a general story's keyword: 会议听取了…的汇报)
                  "听取"}
# Light verbs that close a clause piece when the lexicon cuts them off as the last word:
# 县域有 (from 县域有……), 关键在, 目标是.
_CLOSING_LIGHT_VERBS = {"有", "是", "在",
                        # "stationed in", its place cut off (中国驻, from 中国驻X大使馆: a story's list)
                        "驻"}
# Adjectives that judge a result as the predicate of a clause (成效显著, 增产明显, 问题突出).
_PREDICATE_ADJECTIVES = {"明显", "显著", "突出", "良好", "严重", "明确", "不合理",
                         # 意义重大, 十分重要; and 国家重大 (from 国家重大政策措施: a keyword of a
                         # poverty story), an attribute cut off from its noun
                         "重大", "重要",
                         # 形势总体平稳 (a keyword of a general story)
                         "平稳",
                         # a superlative closing a predicate: 上规模最大 (规模最大)
                         "最大",
                         # 品种丰富 (a keyword of a general story)
                         "丰富",
                         # 前景广阔 (a general story's keyword; judged a register phrase)
                         "广阔"}
# News outlets and their programmes, and a station's or paper's word for itself: a string
# that opens with one is the source of a story or its column (央视快评, 人民日报发表评论员文章,
# 本台消息), not a term of the case.
NEWS_OUTLETS = ("中央广播电视总台", "中央电视台", "总台", "央视", "新华社", "人民日报", "光明日报", "经济日报",
                "新闻联播", "本台", "本报", "中央人民广播电台")
# ... and the ends of the names of channels and broadcasters (综合频道, 中国国际电视台).
BROADCASTERS = ("频道", "电视台", "广播电台")
# Verbs of reporting and of news narrative (总书记指出, 会议强调, 数据显示, 详细询问): a string
# that ends in one is a clause with its subject or manner, not a term.
_REPORTING_VERBS = {"指出", "强调", "要求", "表示", "显示", "说", "来到", "走进", "指示", "介绍", "告诉", "勉励",
                    "询问", "了解", "察看", "看望", "慰问", "调研", "审议", "主持", "召开", "来", "去", "回忆",
                    "表明", "认为", "提出", "确定",
                    # events of news narrative: a thing and its event (政策出台, 会议开幕)
                    "出台", "印发", "举行", "举行仪式", "开幕", "闭幕", "揭晓", "成立", "发生",
                    # a meeting's or a leader's verdict (会议高度评价, 李克强充分肯定)
                    "高度评价", "充分肯定",
                    # "when ... said" (代表团审议时说, a general story's list; jieba cuts 时说 whole)
                    "时说",
                    # news of the day: a body publishing, a leader attending, a death, a protest
                    # (俄罗斯国防部公布, 成功出席, 因病离世, 强烈谴责: general stories' keywords), a
                    # programme broadcast (频道播出, 点档播出: judged register phrases)
                    "公布", "出席", "离世", "谴责", "播出",
                    # what a list "includes" (主要包括, 内容包括: a general story's keyword)
                    "包括",
                    # "says" of a report or a statement (报告称, 发表声明称)
                    "称"}
# Adverbs of manner and degree with which policy texts modify their verbs (着力扩大, 全面推进,
# 持续增收, 积极推动): before a verb they make a predicate, not a term.
_MANNER_ADVERBS = {"着力", "大力", "全力", "扎实", "切实", "深入", "积极", "认真", "努力", "持续", "进一步", "全面",
                   "统筹", "有序", "稳步", "加快", "严格", "坚决", "不断", "更加", "精心", "亲切", "仔细",
                   "详细", "专程", "先后", "一体", "扎扎实实", "逐步", "继续", "广泛", "显著", "明显",
                   # a result's success (成功发射, 成功脱贫, 圆满完成: judged register phrases)
                   "成功", "圆满"}
# Adverbs of degree and feeling that open a predicate before any word (十分关心, 倍感振奋,
# 备受鼓舞, 衷心感谢): jieba tags many of the verbs after them as nouns (关心). Not 充分,
# which opens terms (充分就业).
_DEGREE_ADVERBS = {"十分", "非常", "极其", "格外", "无比", "深切", "深深", "热烈", "衷心", "由衷", "倍感", "备受"}
# What speeches call "new" (新征程, 新篇章, 新时代, 新台阶): the register's words for a stage or a
# picture of progress, no term. Judged strings 新X of three characters headed by one are all
# general words and register phrases; the terms among them have other heads (新农合, 新村民,
# 新材料, 新业态).
_NEW_STAGES = {"时代", "时期", "征程", "篇章", "发展", "图景", "画卷", "格局", "起点", "台阶", "突破", "路子",
               "进展", "亮点", "境界", "蓝图", "期待", "气象", "作为", "面貌", "天地", "高度", "成就", "成效",
               "局面", "机遇", "引擎", "理念"}
# Adjectives of praise with which news and speeches judge a result or a time (辉煌成就,
# 历史性跨越, 精彩节目, 伟大征程, 美好家园): before any word they make praise, not a term.
# Not 重大 (重大工程, 重大疾病) or 幸福 (农村幸福院), which open terms; a named spirit keeps 伟大
# (伟大建党精神).
_PRAISE_ADJECTIVES = {"辉煌", "精彩", "巨大", "丰硕", "非凡", "历史性", "可喜", "骄人", "壮丽", "光辉",
                      "优异", "长足", "喜人", "崭新", "美好", "深刻", "伟大"}
# Abstract head nouns that make a noun phrase *about* a term or a topic (扶贫工作,
# 帮扶措施, 脱贫任务, 扶贫领域, 支持力度), not a new term; concrete heads (扶贫资金,
# 帮扶干部, 扶贫车间) and heads that name the thing itself (人居环境, 监测对象) are not listed.
_ABSTRACT_HEADS = {"工作", "任务", "成效", "问题", "措施", "领域", "方式", "故事", "步伐", "质量", "情况", "力度",
                   "水平", "能力", "进展", "成就", "方面", "过程", "阶段", "作用", "意义", "目标", "要求", "举措",
                   "行动", "力量", "局面", "基础", "条件", "原因"}
# Abstract heads that name what is measured or recorded of a process (脱贫质量, 致贫原因):
# a term after a domain verb (_measure_of_a_domain_process).
_MEASURED_HEADS = {"质量", "原因"}
# Words of any policy text's abstract vocabulary: a string made of them alone (体制机制,
# 制度体系, 经济建设, 改革创新) is general vocabulary, not a term of the domain. 机构 is not
# among them: 机构改革 names a reform.
_GENERIC_WORDS = {"体制", "机制", "制度", "体系", "政策", "工作", "措施", "办法", "模式", "方式", "方法", "格局",
                  "能力", "水平", "环境", "条件", "基础", "保障", "服务", "管理", "建设", "发展", "改革", "创新",
                  "经济", "社会", "治理", "政府", "部门"}
# Directional and result complements (结合起来, 下降到, 打好, 解决好): a verb phrase's tail.
_COMPLEMENTS = {"起来", "下来", "出来", "上来", "下去", "过来", "到", "好", "完"}
# Adjectives that a one-character verb takes as its result (筑牢, 做优, 抓实, 织密, 讲好),
# coining the register's verbs rather than terms.
_RESULTS = set("牢实密强大优好细严紧全准足深")
# The results that make a two-character verb of a one-character one and open a predicate
# (打好|精准…, 用好资金, 办好实事, 守牢底线): fewer than _RESULTS, because verbs such as 扩大,
# 壮大 and 健全 also name goals (扩大内需) or are judged elsewhere.
_RESULT_OPENERS = set("好牢优细紧")
# Words that refer to a person by office or address (习近平总书记, 国家主席, 李克强总理):
# a reference to someone, not a term of the domain.
_PERSON_TITLES = {"总书记", "主席", "副主席", "总理", "副总理", "委员长", "同志", "先生", "女士",
                  "常委", "委员", "中央政治局常委", "政治局常委", "政治局委员",
                  # heads of foreign states and their envoys (卢拉总统, 欧盟防长)
                  "总统", "副总统", "首相", "国王", "外长", "防长", "议长", "秘书长"}
# jieba's dictionary tags 后代 (descendants) and 节 (festival) as time words; they end terms
# (红军后代, 农民丰收节).
_NOT_TIME_WORDS = {"后代", "节"}
#: Up to this length a string with 和 or 与 between two words is a coordination, not a term.
COORDINATION_MAX_LEN = 10
# One-character suffixes of administrative units (湘西|州, 澜沧|县, 沙洲|村).
_ADMIN_SUFFIXES = {"省", "州", "县", "市", "镇", "乡", "村", "盟", "旗"}
_UNITS = {"年", "月", "日", "号", "户", "人", "元", "万", "亿", "个", "次", "家", "名", "项", "亩", "余", "多",
          "条", "批", "件", "位", "张", "份", "届", "座", "台", "辆",
          # cases of a disease (新增3例|疑似病例: 例疑似病例, a keyword of a general story); an edition
          # (第2版|增订版)
          "例", "版",
          # trips, vessels, aircraft and missiles counted (开行3趟|旅客列车: 趟旅客列车, a story's list)
          "趟", "艘", "架", "枚",
          # hours counted (24小时|新增确诊: 小时新增确诊, a story's list), the hour of a clock (晚8点|档,
          # 8点|半: general stories' keywords)
          "小时", "点"}
_REDUPLICATION = re.compile(r"^(.)\1$|^(..)\2$")
# Suffixes that make a word of the word before them (营利|性, 中国|式, 中小|型, 现代|化,
# 参与|者, 覆盖|率, 满意|度, 省|级, 各|界, 工作|人|员, 农产|品, 产|业): a string that the
# lexicon cuts to open with one of them alone is the tail of a longer term (性服务业 of
# 营利性服务业, 型企业, 化建设), never a term (17 fragments of 21 such strings in the labels).
_BOUND_SUFFIXES = {"性", "型", "式", "化", "者", "率", "度", "级", "界", "员", "类", "们", "品", "业"}
# "First ..., then ...": a scheme named by its order (先诊疗后付费, 先建后补, 先照后证).
_SEQUENCE_SCHEME = re.compile(r"^先[^后]{1,3}后[^后]{1,3}$")
# An enumerator of a list of points (一是, 二是): the start of a sentence, no term.
_ENUMERATOR = re.compile(r"^[一二三四五六七八九十]+是")
# Offices after which a text names the person who holds them (第一书记余亚斌, 党支部书记孙丽美).
_OFFICES = ("书记", "主任", "校长", "村长", "组长", "队长", "站长", "局长", "县长", "市长", "省长", "部长",
            "院长", "厂长", "经理", "董事长", "代表", "委员", "记者", "会长", "社长", "支书")
# "All who should ... do ...": a rule of coverage (应保尽保, 应助尽助, 应收尽收).
_COVERAGE_SCHEME = re.compile(r"^应(.)尽\1$")
# The whole of an administrative unit (全县, 全村, 全省): as the first word before a verb, the
# subject of a clause (全县累计).
_SCOPE = re.compile(r"^全[省州县市镇乡村]$")


# The hundred commonest surnames (of segmenters' list of 330): before a word the dictionary
# tags as a name, they make a person's name (张剑峰) rather than a term.
_COMMON_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
                             "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙陶黎"
                             "贺顾毛郝龚邵万钱覃武戴莫孔向")
_NAME_TAGS = {"nr", "nrt", "nrfg", "ns", "nz"}
# ... and the stems of villages named after a time or a season (明月|村: jieba tags 明月 t).
_SETTLEMENT_NAME_TAGS = _NAME_TAGS | {"t"}
# Tags of a place's name before an administrative unit (林芝|市: jieba tags 林芝 nrt).
_PLACE_STEM_TAGS = {"ns", "nrt"}


@lru_cache(maxsize=1)
def _name_guesser():
    # jieba's HMM, keeping only its guesses that look like a person's name.
    from .segmenters import SegmentSettings, make_segmenter

    return make_segmenter(SegmentSettings(guess_names=True, merge_numbers=False))


@lru_cache(maxsize=200_000)
def is_person_name(word: str) -> bool:
    """True for a string that reads as a person's name: a common surname plus two
    characters that jieba's HMM tags as a name, whole (陈洪松, 何立峰) or as surname plus
    given name (陈|明星, 陆|大道). Statistical discovery finds the names a text repeats;
    they are not terms of the domain."""
    from .segmenters import dictionary_words, looks_like_name

    if len(word) == 2 and word[0] in "老小" and word[1] in _COMMON_SURNAMES:
        return True  # a person addressed by surname (老沈, 小王), as news stories name villagers
    # Other two-character strings are left alone: too many terms start with a surname
    # character and read as names to the HMM (康养, 苗绣); so is a people (毛南族).
    if rare_surname_name(word, _lexicon()):
        return True  # a rarer surname and a given name no word begins (栗战书, 谌贻琴; not 康养|村)
    if len(word) < 3 or word.endswith("族") or not looks_like_name(word):
        return False
    if len(word) == 3 and word not in _lexicon():
        # jieba's HMM never sees these names: the dictionary has a word for their pieces.
        if _tags().get(word[0]) == "nr" and len(dictionary_words(word)) == 3:
            return True  # a surname the dictionary lists as a name, and two single characters (沈|德|咏)
        if word[0] in _COMMON_SURNAMES and _tags().get(word[1:]) in _NAME_TAGS:
            return True  # a common surname and a given name listed as a name or place (张|剑峰, 高|永华)
    tokens = _name_guesser().tokenize(word)
    first = tokens[0]
    return first.pos.startswith("nr") and (len(tokens) == 1 or len(first.word) == 1)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, int]:
    from .lexicon import jieba_lexicon

    return jieba_lexicon()


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    from .lexicon import jieba_tags

    return jieba_tags()


def _two_words(word: str) -> list[str]:
    """The most probable cut of ``word`` into two other lexicon words (its unigram
    probabilities), or ``[word]`` if there is none."""
    lexicon = _lexicon()
    cuts = [(lexicon[word[:k]] * lexicon[word[k:]], k) for k in range(1, len(word))
            if lexicon.get(word[:k]) and lexicon.get(word[k:])]
    if not cuts:
        return [word]
    k = max(cuts)[1]
    return [word[:k], word[k:]]


@lru_cache(maxsize=200_000)
def is_term_like(word: str) -> bool:
    """False for strings whose edges or inside are function words, and for phrases of
    the news and policy register (see module docstring)."""
    if len(word) < 2 or _REDUPLICATION.match(word) or word.endswith("们"):
        return False  # 们 makes a plural of persons (乡亲们, 村民们): a group, not a term
    if _ENUMERATOR.match(word) or _office_and_name(word):
        return False  # 一是…; 第一书记余亚斌: a person, by office and name
    if word.startswith(NEWS_OUTLETS) or word.endswith(BROADCASTERS):
        # a story's source, column, channel or broadcaster (央视快评, 综合频道: 20 of 4,000 general
        # stories' keywords, 综艺频道 in their place once 综合频道 was a stop-word), not a term
        return False
    if _is_place_word(word):
        return False  # 县里, 村里, 省内: "in the county", a place word (jieba tags 县里 a noun)
    if word in _PRAISE_ADJECTIVES:
        return False  # praise alone (美好, 辉煌: weak keywords of short stories)
    if word[:1] == "新" and word[1:] in _NEW_STAGES:
        return False  # 新征程, 新篇章: a stage of progress in a speech's words (the lexicon lists some whole)
    if word.endswith(("出版社出版", "书店发行")):
        return False  # a book's imprint (人民出版社出版, 新华书店发行: news of a publication)
    if word.startswith("大代表"):
        return False  # the tail of 人大代表 or 十九大代表 (大代表风采录, from a column's title)
    if word.startswith(("紧紧", "牢牢")):
        return False  # "firmly" before its verb, whole in the lexicon too (紧紧围绕, 紧紧抓住: judged register)
    if (_FRAME_END.search(word) and not word.startswith("以")) or word.startswith(("各项", "各个")):
        # the tail of 以…为主线 where the lexicon cuts 为主|线 (the rule of tokens below cannot
        # see 为; 以企业为主体, whole, keeps it); "every kind of" (各项改革, 各个领域: whole in the
        # lexicon too)
        return False
    if word.startswith("广大") and len(word) > 2:
        return False  # "the broad masses of": a group of people (广大教师; jieba lists 广大干部群众)
    from .segmenters import dictionary_words

    tokens = dictionary_words(word)
    tags = _tags()
    if len(tokens) == 1:
        # jieba's dictionary lists set phrases of the register as one word (全面落实,
        # 大力发展, 今年以来): judge those by the two words they are made of. Only the
        # register's patterns apply: a listed word is a unit (同化作用, 庭外和解).
        parts = _two_words(word) if len(word) >= 4 else tokens
        if _set_verb_phrase(word, tags):
            return False
        return len(parts) == 1 or not (_register_phrase(parts, tags) or _group_of_people(parts))
    if _set_verb_phrase(tokens[-1], tags):
        return False  # the same closing a clause: 部门|结合实际
    if _named_settlement(word):
        return False  # a village or town by name (化|屋|村): a place, not a term
    if tokens[-1] in _PLACE_ENDINGS or _CUT_PAIR.match(word) or _CUT_PLENUM.search(word):
        return False  # 贫困户家中, 离开村子时; 一户一 (of 一户一策)
    if (len(tokens[-1]) == 1 and tags.get(tokens[-1]) == "a" and tokens[-1] not in _NOUN_ADJECTIVES
            and len(tokens[-2]) >= 2 and tags.get(tokens[-2]) != "m"):
        # a one-character adjective after a word judges it (贫困程度深, 涉及面广, 质量高) or
        # starts a cut-off noun (就业新, 消费新 of 就业新形态); not 十八大, 融资贵 or 藏家乐
        return False
    if _SEQUENCE_SCHEME.match(word) or _COVERAGE_SCHEME.match(word):
        return True  # a scheme of "first ..., then ..." (先诊疗后付费, 先建后补) or of coverage (应保尽保)
    if len(tokens) >= 3 and all(len(t) == 1 for t in tokens):
        # A compact coined term (以奖代补, 志智双扶): no word structure to judge, but a
        # localiser, light verb or particle at its edge still makes it a clause piece
        # (上开新局 from 在……上开新局).
        # An aspect particle inside makes one too: 脱|了|贫 ("got out of poverty").
        # So does a preposition last: 人|死|于 (…人死于枪击, a general story's keyword).
        return not (tags.get(tokens[0]) == "f" or tokens[0] in _LIGHT_VERBS or tokens[-1] in _PARTICLES
                    or tags.get(tokens[-1]) == "p" or any(t in _ASPECT_PARTICLES for t in tokens[1:-1]))
    if len(word) == 2 and len(tokens) == 2 and tags.get(word[0], "").startswith("v") and word[1] in _RESULTS:
        return False  # a verb and its result (筑牢, 做优, 织密, 讲好): a predicate of the register
    # Judged by words, not characters: 基地 and 研究所 end in 地 and 所 without a particle.
    if tokens[0] in _LIGHT_VERBS or tokens[-1] in _PARTICLES or any(t in _PARTICLES for t in tokens):
        return False
    if tokens[-1] in _CLOSING_LIGHT_VERBS and len(tokens[-2]) >= 2 and tags.get(tokens[-2]) != "m":
        # the verb of a clause, its object cut off: 县域有, 关键在 (not a numbered slogan,
        # 五通八有, or a word of one-character words, 求是)
        return False
    if any(tags.get(t, "").startswith("u") for t in tokens):
        return False  # an auxiliary inside: 旅游等产业 ("tourism and other industries")
    if len(tokens) >= 3 and tokens[-2] == "为" and tokens[0] != "以":
        # The tail of the frame 以……为……, its 以 cut off: 科学发展观|为|指导, 市场|为|导向,
        # 县|为|例 (以人民为中心, whole, keeps it): 9 such strings in the judged lists, all non-terms.
        return False
    if len(tokens) == 2 and tags.get(tokens[0]) == "p":
        # A preposition and its object (以|实际行动, 因|灾, 用|法治): an adverbial. A slogan
        # built on one says more (以|人民|为|中心, 以奖代补, 以工代赈: one word).
        return False
    if _preposition_between_words(tokens, tags):
        # A clause: 群众|用|积分, 重心|向|基层|下移, 人民|对|美好生活, 西安|至|延安 (6 judged
        # strings, no term, no researcher's keyword). The frames of slogans keep theirs
        # (以|人民|为|中心, …同乡村振兴有效衔接), 与 coordinates (below), 自 makes words.
        return False
    if len(tokens[0]) == 1 and tags.get(tokens[0]) == "q":
        # A measure word first: the tail of a count (6集|电视专题片). Numerals are not
        # judged: they open numbered slogans (两不愁三保障, 五防机制).
        return False
    first, last = tags.get(tokens[0], ""), tags.get(tokens[-1], "")
    if first == "d" and tokens[0][0] in "不没未别":
        return False  # negated: 不断推进, 没少
    if tokens[0][0] in "不没未" and first.startswith("v"):
        return False  # a negated verb opens a predicate: 不算|贫困户, 未能|完成
    if _manner_before_verb(tokens, tags):
        return False  # a manner adverbial and its verb: 充分|彰显, 积极|稳妥|推进, 完整|准确|贯彻…
    if tokens[-1] == "起" and tags.get(tokens[-2], "").startswith("v"):
        return False  # a verb and its directional complement: 承担|起, 构建|起
    if tokens[0] == "起":
        return False  # the complement cut off its verb: (建立)|起|脱贫防贫长效保障机制
    if any(t in _CONTINUATION_ADVERBS and tokens[i - 1] != "可" for i, t in enumerate(tokens[1:], start=1)):
        return False  # a state that goes on: 体系|不断|完善, 国民经济|持续
    if tokens[0] in _DEICTIC_TIMES and len(tokens) > 1:
        return False  # dated from the text's own day: 今年|一季度, 今年|中央财政
    if tokens[0] in _REPORTING_VERBS and len(tokens[0]) >= 2:
        return False  # a reporting verb and its object: 告诉|记者, 表示|衷心感谢, 成立|合作社
    if (tokens[0] in _OPENING_VERBS and tokens[-1] not in _NAME_HEADS) or tokens[-1] in _CLOSING_VERBS:
        return False  # a predicate: 支持|民营企业, 累计|投放, 全部|完成 (but 造福|工程, a measure)
    if all(t in _GENERIC_WORDS for t in tokens):
        return False  # general vocabulary of policy texts: 体制|机制, 制度|体系
    if _group_of_people(tokens):
        return False  # people in general: 基层|干部|群众, 各界|人士
    if tokens[0] in _QUANTIFIERS:
        return False  # how much of a thing, no name of one: 部分|地区, 所有|贫困户, 有关|部门
    if len(word) <= COORDINATION_MAX_LEN and _coordination(tokens):
        # Two things joined by 和 or 与 (疫情防控和经济恢复, 理论和实践, 建立和完善): a
        # phrase. Past ten characters an official name may hold one (东西部扶贫协作和对口支援).
        return False
    if first == "d" and tokens[0] in ATTRIBUTIVE_ADVERBS and last in ("a", "n", "vn"):
        first = "n"  # 相对贫困, 绝对贫困: the adverb is an attribute here
    # A localiser of three characters is a region (东西部扶贫协作, 中西部地区), not 以后 or 之间.
    if (first in _BAD_START and not (first == "f" and len(tokens[0]) >= 3)) or last in _BAD_END:
        return False
    if last == "ad" and tokens[-1] != "公开":
        # an adverbial cut off its verb: 产生积极, 采取切实, 尽最大努力, 进展顺利 (judged, no
        # term); 公开 closes terms (政务公开, 司法公开)
        return False
    if _is_place_word(tokens[0]) or (_SCOPE.match(tokens[0]) and last[:1] in ("v", "d")):
        return False  # a subject and its predicate: 县里出台, 县里将推动, 全县累计
    if len(tokens[0]) == 1 and tokens[1].startswith(tokens[0]):
        return False  # a name's last character before a word opening with it: (…)村|村干部, (…)州|州长
    if tokens[0] in _UNITS:
        return False  # the tail of a number or date: 年全县 (2021年全县), 户村民
    if _count_tail(tokens[0], tags):
        return False  # a magnitude and its measure word: the tail of a count (12.8|万个|贫困村)
    if tokens[0] in _BOUND_SUFFIXES and len(word) >= 3:
        return False  # a suffix cut off its stem (营利|性服务业); 化债 ("resolving debt") is a word
    if len(tokens) == 2 and len(word) == 2 and word[1] in _UNITS and tags.get(word[0]) == "m":
        return False  # a count: 一人, 两户
    if len(tokens) == 2 and tokens[0][-1:] == "个" and tags.get(tokens[0]) == "m" and tokens[1] in _COUNTED_UNITS:
        return False  # a count of places or households (三个村, 两个县; a story's list), not 三个年 or 五个一
    if tokens[0] == "每" and tags.get(tokens[1]) == "m":
        return False  # "each" and a numeral: the head of a count (每一|户)
    if tokens[-1] == "内":
        return False  # "within" a period or a place (过渡期|内, 保护区|内; jieba tags 内 a noun)
    if tokens[-1] == "第":
        return False  # an ordinal cut off before its number: 海军第 (海军第…舰)
    if tokens[0] == "好":
        return False  # a result cut off its verb (打|好精准扶贫), or "good ..." (好政策): no term
    if last.startswith("nr") and tags.get(tokens[-2], "").startswith("n") and is_person_name(tokens[-1]):
        return False  # a person named with a role: 夫人|彭丽媛 (jieba tags 小康 nr too: 全面小康 stays)
    if first.startswith("nr") and last.startswith("v"):
        return False  # a person and a verb: a clause (…总书记来到)
    if _name_then_verb(word, tokens, tags):
        return False  # the same where the dictionary splits the name: 黄|大发|带(着全村人)
    if last in ("ns", "nt", "s") and tags.get(tokens[-2], "") == "v" and not (len(tokens) > 2 and first.startswith("n")):
        # A verb and a place or body as its object: 支持郑州, 维护联合国, 了解当地. After a
        # noun the verb is inside a compound (乡村|振兴|联合体, 雄|安|新区).
        return False
    if _party_cut_off(tokens, tags):
        return False  # 新时代|党 (of 新时代党的民族工作), 学习贯彻|党, 号召|全党
    if last == "l" and len(tokens[-1]) >= 4 and tags.get(tokens[-2], "") == "v":
        return False  # a verb and a set phrase as its object: 发表|重要讲话, 奠定|坚实基础 (not 扶贫|合作社)
    if _opens_with_result(tokens, tags):
        return False  # a verb and its result open a predicate: 打|好|精准, 用|好|资金, 办好|实事
    if tokens[0] in _MODALS or tokens[-1] in _MODALS:
        return False  # a modal verb opens or closes a predicate: 世界各国应该
    if tokens[-1] in _ABSTRACT_HEADS and not (tokens[-1] == "行动" and len(word) >= 6) \
            and not _measure_of_a_domain_process(tokens, tags):
        return False  # but a campaign named by four or more characters is a term (乡村建设行动)
    if _is_place(tokens, tags) or any(t in _PERSON_TITLES for t in tokens):
        return False
    return not _register_phrase(tokens, tags)


_FRAME_PREPOSITIONS = frozenset("为以同自与")


def _preposition_between_words(tokens: list[str], tags: dict[str, str]) -> bool:
    """A one-character preposition between two words of two or more characters."""
    return any(len(tokens[i]) == 1 and tags.get(tokens[i]) == "p" and tokens[i] not in _FRAME_PREPOSITIONS
               and len(tokens[i - 1]) >= 2 and len(tokens[i + 1]) >= 2 for i in range(1, len(tokens) - 1))


def _measure_of_a_domain_process(tokens: list[str], tags: dict[str, str]) -> bool:
    """A domain's own process and what is measured or recorded of it: 脱贫|质量 (the
    quality of an exit from poverty, which evaluations check), 致贫|原因 (the cause of
    poverty, a field of every registered household's file). A domain verb is one general
    language seldom uses (jieba counts 脱贫 165 times, 致贫 14: below the common verbs of
    :mod:`.inner_spans`); after a common verb the head is the register's (增长原因) and
    stays out."""
    return (len(tokens) == 2 and tokens[1] in _MEASURED_HEADS and tags.get(tokens[0]) == "v"
            and _lexicon().get(tokens[0], 0) < COMMON_VERB_FREQ)


def _manner_before_verb(tokens: list[str], tags: dict[str, str]) -> bool:
    """Does ``tokens`` open with a manner adverbial and then a verb: an adverbial adjective
    (jieba's ``ad``: 充分, 积极, 正式) or two adjectives (完整|准确), then a verb that is no
    verbal noun? A predicate of the register (充分彰显, 正式开通, 积极稳妥推进,
    完整准确贯彻新时代党): 20 of the 21 such strings in the labels (直接结算, "direct
    settlement" of medical bills, is a term)."""
    lead = 0
    while lead < min(2, len(tokens) - 1) and tags.get(tokens[lead]) in ("a", "ad"):
        lead += 1
    if lead == 0 or (lead == 1 and tags.get(tokens[0]) != "ad"):
        return False
    return _plain_verb(tags.get(tokens[lead], ""))


def _set_verb_phrase(word: str, tags: dict[str, str]) -> bool:
    """Is ``word`` a verb phrase the lexicon lists whole (tagged i, l or v), opened by a verb
    that opens predicates or by an adverb of manner: 充满|信心, 深入|基层, 勇于|创新? Not
    运行机制, which the lexicon lists as a noun."""
    if len(word) < 4 or tags.get(word) not in ("i", "l", "v"):
        return False
    parts = _two_words(word)
    return len(parts) == 2 and (parts[0] in _OPENING_VERBS or parts[0] in _MANNER_ADVERBS)


def _plain_verb(tag: str) -> bool:
    """A verb tag of jieba's dictionary other than a verbal noun (vn: 建设, 管理)."""
    return tag.startswith("v") and tag != "vn"


def _party_cut_off(tokens: list[str], tags: dict[str, str]) -> bool:
    """Does ``tokens`` end in the Party (党, 全党) after an era or a verb? The Party cut off
    before 的 (新时代|党 of 新时代党的民族工作, 学习贯彻|党 of 学习贯彻党的二十大精神: keywords of
    eight poverty and six general stories) or a verb's object (号召|全党); not 从严治党,
    童心向党 or 三进下党."""
    return tokens[-1] in ("党", "全党") and (tokens[-2] in ("时代", "时期", "征程")
                                          or _plain_verb(tags.get(tokens[-2], "")))


def _group_of_people(tokens: list[str]) -> bool:
    """Is ``tokens`` (two or more words) a group of people in general (:data:`_PEOPLE_WORDS`,
    headed by one of :data:`_PEOPLE_HEADS`; a listed word of four characters is read as its
    two words: 基层干部|群众, 全国|各族人民)?"""
    def parts(t: str) -> list[str]:
        return _two_words(t) if len(t) >= 4 else [t]

    def people(t: str) -> bool:
        return t in _PEOPLE_WORDS or all(p in _PEOPLE_WORDS for p in parts(t))

    return len(tokens) >= 2 and parts(tokens[-1])[-1] in _PEOPLE_HEADS and all(map(people, tokens))


def _coordination(tokens: list[str]) -> bool:
    """Is 和 or 与 a word of its own inside ``tokens``, between two words? Not when a
    single character follows it: jieba cuts 和美 (宜居宜业|和|美|乡村) that way; unless
    both sides hold four characters or more, two terms' length (双创基地|和|众|创|空间,
    where the lexicon lacks 众创)."""
    for i, t in enumerate(tokens[1:-1], start=1):
        if t in ("和", "与") and (len(tokens[i + 1]) > 1 or min(len("".join(tokens[:i])),
                                                                len("".join(tokens[i + 1:]))) >= 4):
            return True
    return False


def _register_phrase(tokens: list[str], tags: dict[str, str]) -> bool:
    """A predicate of the news and policy register rather than a term (module docstring)."""
    first, last = tags.get(tokens[0], ""), tags.get(tokens[-1], "")
    # A clause or predicate verb first opens a predicate (要求落实, 推进农村, 深化改革).
    if tokens[0] in _CLAUSE_VERBS or tokens[0] in _PREDICATE_VERBS or tokens[0] in _VISIT_VERBS:
        return True
    if tokens[0] == "受" and len(tokens) >= 3:
        return True  # a passive, agent and verb (受|疫情|影响, 受|国务院|委托)
    if tokens[0] == "代表" and len(tokens) > 1 and tags.get(tokens[1]) == "nt":
        return True  # speaking for an organisation: 代表|党中央 (人大代表, 代表团 are words)
    if any(len(t) == 1 and tags.get(t) == "f" and len(tokens[i - 1]) >= 2
           and tags.get(tokens[i + 1], "").startswith("v") for i, t in enumerate(tokens[1:-1], start=1)):
        return True  # in the midst of something, a verb: 创业|中|增长|智慧|才干 (but 表|外|融资)
    if _sentence(tokens, tags):
        return True
    if any(t in _CLAUSE_MARKERS for t in tokens[1:]):
        return True
    if tokens[0] in _SCHEDULE_ADVERBS and any(tags.get(t) == "v" for t in tokens[1:]):
        return True
    if len(tokens[0]) >= 4 and len(tokens) > 1 and tokens[0] in _lexicon():
        parts = _two_words(tokens[0])
        if len(parts) == 2 and _register_phrase(parts, tags):
            return True  # a set phrase of the register first (全面实施|乡村振兴战略)
    if tokens[-1] in _REPORTING_VERBS or tokens[-1] in _COMPLEMENTS:
        return True
    if tokens[-1] in _OUTCOME_VERBS and any(t in _SUBJECTS for t in tokens[:-1]):
        return True  # a subject and its outcome: 贫困人口|脱贫, 贫困人口|实现|脱贫, 村民|脱贫致富
    if len(tokens) > 2 and tokens[-2] + tokens[-1] in _OUTCOME_VERBS and any(t in _SUBJECTS for t in tokens[:-2]):
        return True  # ... also where the lexicon cuts the outcome: 贫困人口|摆脱|贫困
    # A predicate verb after a modifier the lexicon knows is a register phrase (扎实推进,
    # 深入实施, 贫困人口减少); after a coined scope it names a scheme (整村推进: 整|村|推进).
    # So is any verb after an adverb of manner (着力扩大, 持续增收, 全面落实).
    if tokens[-1] in _PREDICATE_VERBS and "".join(tokens[:-1]) in _lexicon():
        return True
    if len(tokens) >= 3 and tokens[-1] in _PREDICATE_VERBS and tags.get(tokens[-2], "").startswith("v"):
        return True  # a verb phrase before the predicate: 大开发|推动 (but 整|村|推进 passes)
    goal = tokens[0] == "全面" and len(tokens) > 2 and len("".join(tokens)) <= 8
    if tokens[0] in _MANNER_ADVERBS and _opens_with_verb(tokens[1:], tags) and not goal:
        # 着力扩大, 着力稳就业, 持续扩大内需; 全面 before a longer verb phrase names a
        # goal of the programme (全面建成小康社会, 全面深化改革), unless it runs past eight
        # characters (全面贯彻新发展理念: a predicate of the register).
        return True
    if tokens[0] in _DEGREE_ADVERBS and len(tokens) > 1:
        return True  # 十分关心, 倍感振奋
    if tokens[0] in _PRAISE_ADJECTIVES and len(tokens) > 1 and tokens[-1] != "精神":
        return True  # 辉煌|成就, 历史性|跨越 (but 伟大|建党|精神)
    if len(tokens) > 1 and tokens[-1] in _PREDICATE_ADJECTIVES:
        return True  # a result judged as the predicate: 增产明显, 成效显著
    if any(t in _INNER_ADVERBS for t in tokens[1:]):
        return True  # 培育更多: an adverb of degree inside is a predicate's
    # A localiser or a time word at the end places the string in time or space (十八大以来,
    # 座谈会上, 国务院扶贫办今天); a time word before a verb is an adverbial (如期脱贫,
    # 如期实现), before a noun an attribute (现代产业, 冬残奥会).
    return (last == "f" and len(tokens[-1]) < 3) or (last == "t" and tokens[-1] not in _NOT_TIME_WORDS) \
        or (first == "t" and last.startswith("v"))


# Verbs that make a sentence of what surrounds them (肾病患者|进入|尿毒症, 高质量|完成|脱贫攻坚).
_SENTENCE_VERBS = _PREDICATE_VERBS | {"进入", "完成", "参与"}
# Heads of the names of measures, which often hold verbs (稳岗扩容提质行动, 联农带农富农机制;
# keyword candidates read them too, keyterms.candidates).
NAMED_MEASURE_HEADS = frozenset("行动 机制 工程 计划 制度 体系 平台 基金 模式".split())
# ... and of funds, projects and documents: a predicate verb may sit inside all of these
# (职业技能|提升|行动, 学生|营养|改善|计划, 衔接|推进|乡村|振兴|补助|资金).
_NAME_HEADS = NAMED_MEASURE_HEADS | {"资金", "项目", "规划", "方案", "报告", "政策", "试点"}


def _sentence(tokens: list[str], tags: dict[str, str]) -> bool:
    """A subject, a predicate verb and its object: a sentence, such as a headline in
    quotation marks, not a term. Seven characters or more, the verb between two words of
    two or more characters, the first a noun, adjective, verb or set phrase, and the last
    word no head of a measure's or a document's name."""
    if sum(map(len, tokens)) < 7 or len(tokens) < 3 or tokens[-1] in _NAME_HEADS:
        return False
    return any(t in _SENTENCE_VERBS and len(tokens[k - 1]) >= 2 and len(tokens[k + 1]) >= 2
               and tags.get(tokens[k - 1], "")[:1] in ("n", "a", "v", "l", "i", "j")
               for k, t in enumerate(tokens[1:-1], start=1))


def _name_then_verb(word: str, tokens: list[str], tags: dict[str, str]) -> bool:
    """Do three characters that read as a person's name open ``word``, a verb right after
    them? jieba's dictionary splits many names into words (黄|大发), so the name's own tag
    cannot tell."""
    end = 0
    for k, token in enumerate(tokens[:-1]):
        end += len(token)
        if end >= 3:
            return end == 3 and tags.get(tokens[k + 1]) == "v" and is_person_name(word[:3])
    return False


def _office_and_name(word: str) -> bool:
    """An office followed by the name of its holder: a common surname and one or two
    characters after the office's last occurrence (第一书记|余亚斌, 村党支部书记|孙丽美)."""
    for office in _OFFICES:
        at = word.rfind(office)
        if at > 0 or (at == 0 and len(word) > len(office)):
            rest = word[at + len(office):]
            if 2 <= len(rest) <= 3 and rest[0] in _COMMON_SURNAMES:
                return True
    return False


def _opens_with_result(tokens: list[str], tags: dict[str, str]) -> bool:
    """Does a verb with its result (打好, 办好, 守牢) open these words, with more after it?"""
    first = tokens[0]
    if len(first) == 2 and first[1] in _RESULT_OPENERS and tags.get(first, "").startswith("v"):
        return len(tokens) > 1
    # jieba tags 用 a preposition (用好资金: 用|好|资金)
    return (len(tokens) > 2 and len(first) == 1 and (tags.get(first, "").startswith("v") or first == "用")
            and tokens[1] in _RESULT_OPENERS)


def _opens_with_verb(tokens: list[str], tags: dict[str, str]) -> bool:
    """Do these words start with a verb or an adjective used as one (扩大, 稳就业)? A set
    phrase of four or more characters is judged by its first word (扩大内需: 扩大)."""
    if not tokens:
        return False
    first = tokens[0]
    if len(first) >= 4:
        first = _two_words(first)[0]
    tag = tags.get(first, "")
    return tag.startswith("v") or (tag == "a" and len(first) == 1)


def _is_place_word(word: str) -> bool:
    """县里, 村里, 省内: an administrative unit and a localiser ("in the county")."""
    return len(word) == 2 and word[0] in _ADMIN_SUFFIXES and word[1] in "里上中内外"


@lru_cache(maxsize=1)
def _province_names() -> frozenset[str]:
    from .provinces import PROVINCES

    return frozenset(PROVINCES) | {full for full, _, _ in PROVINCES.values()}


def _is_place(tokens: list[str], tags: dict[str, str]) -> bool:
    """A place name made of place names: a province and the places in it (四川|凉山州,
    福建省|宁德市, 江西|井冈山), or a place and its administrative suffix (湘西|州, 澜沧|县).
    Discovery finds the places a text repeats; they are not terms of the domain."""
    rest = tokens[1:]
    if tokens[0] in _province_names():
        return all(tags.get(t) == "ns" or t in _ADMIN_SUFFIXES or t in _province_names() for t in rest)
    return len(tokens) == 2 and tags.get(tokens[0]) == "ns" and tokens[1] in _ADMIN_SUFFIXES


# One-character places and households that a small count names (三个|村, 两个|县): no slogan.
_COUNTED_UNITS = frozenset("村乡镇县市省区州户组屯")


def _count_tail(token: str, tags: dict[str, str]) -> bool:
    """Is ``token`` a magnitude with the general measure word 个 or an estimate (万个, 万余,
    千多), which the digits of a count precede? Programmes are named by a magnitude and a
    noun or a specific measure word (千村示范, 万名干部规划家乡行动, 千项万亿工程) and slogans
    by a small number (两个维护)."""
    return len(token) >= 2 and token[0] in "万亿千百" and token[1] in "个余多" and tags.get(token, "") == "m"


# Characters that end the names of places (landforms, settlements): 大湾, 下寨, 石坝, 李庄.
_NAME_ENDINGS = frozenset("湾溪坝寨庄沟岭坪塘岗坡洼屯堡峪垭湖河桥铺店峒洞冲营")


def _named_settlement(word: str) -> bool:
    """Is ``word`` (2-4 characters) a village or town by name: 村 or 镇 after a stem the
    dictionary lacks or knows as a name (化屋村, 张店镇, 龙泉关镇), not after a word that
    says what kind of village it is (贫困村, 示范村), nor a word ending in one (移民|新村,
    美丽|乡村; the dictionary's rare pairs such as 关镇 do not count)?"""
    if len(word) == 2:
        # the end of a village's name (下寨村, 大湾村 -> 寨村, 湾村): a landform or settlement
        # character before 村 or 镇, a pair the dictionary lacks (not 山村, 渔村, 古镇)
        return word[-1] in "村镇" and word[0] in _NAME_ENDINGS and word not in _lexicon()
    if word[-1] not in "村镇" or not 3 <= len(word) <= 4 or _lexicon().get(word[-2:], 0) >= 40:
        return False
    stem = word[:-1]
    return stem not in _lexicon() or _tags().get(stem, "") in _SETTLEMENT_NAME_TAGS


# Tags of lexicon words that are never discoveries: places, persons, time words,
# pronouns, numerals, measure words, function words, localisers, place words (县里, 村外).
NOT_DISCOVERY_TAGS = {"ns", "nr", "nrfg", "nrt", "t", "tg", "r", "m", "mq", "q", "p", "c", "u", "d", "f", "s"}
# Heads of an organisation's name (部 局 署 委 会 办 ... 银行, 政协): a word of the lexicon
# tagged nt (jieba's organisations) that ends in one names a body (财政部, 海关总署,
# 国务院扶贫办). Other nt words are often common nouns the dictionary mistags (深加工, 中草药,
# 中央财政), and are not taken for organisations; nor are the kinds of facility or group
# that nt also tags (卫生院, 福利院, 供电所, 民间艺术团, 经济合作组织: 院 所 站 馆 团 组织 中心
# 学校 are no heads here).
_ORGANISATION_HEADS = ("部", "局", "署", "委", "会", "办", "厅", "集团", "公司", "银行", "大学", "学院", "队", "社",
                       "报", "处", "政府", "党", "军", "政协")
#: A case's list holds a two-character word of the base lexicon only where the corpus list
#: holds it among its first this many strings (``pipeline.discover._listed_in_case``).
CASE_LEXICON_WORDS_TOP = 1000
#: A lexicon word this frequent in general language (jieba's dictionary counts) is
#: general vocabulary (发展 68,664, 推动 4,715), not a discovery; domain words that
#: jieba knows are rare there (合作社 379, 集体经济 189, 贫困户 115).
GENERAL_FREQUENCY = 500


def is_organisation(word: str, tags: Mapping[str, str] | None = None) -> bool:
    """Is ``word`` an organisation the base lexicon names (财政部, 海关总署, 全国政协): tagged nt
    there (``tags``: word -> part of speech, default jieba's dictionary), and ending in the
    head of an organisation's name?

    >>> is_organisation("海关总署", {"海关总署": "nt"})
    True
    >>> is_organisation("深加工", {"深加工": "nt"})
    False
    """
    tags = _tags() if tags is None else tags
    return tags.get(word) == "nt" and word.endswith(_ORGANISATION_HEADS)


def is_discovery(word: str, lexicon: dict[str, int], tags: dict[str, str] | None = None) -> bool:
    """A candidate worth listing: term-like, not a person's name, and if the base lexicon
    knows it, not a general-language word (frequent there, or a name, time word or
    function word)."""
    if not is_term_like(word):
        return False
    tags = _tags() if tags is None else tags
    stem = tags.get(word[:-1], "") if len(word) >= 3 and word[-1] in _ADMIN_SUFFIXES else ""
    if word not in lexicon:
        # a place the dictionary does not list: a place's name and an administrative unit
        # (林芝市, 神山村; not 红旗村, whose stem the dictionary tags a person's name as it does
        # many common words)
        return stem not in _PLACE_STEM_TAGS and not is_person_name(word)
    if stem in _NAME_TAGS:
        return False  # a place the dictionary lists under another tag: 宕昌县 (宕昌 a name)
    return lexicon[word] < GENERAL_FREQUENCY and tags.get(word) not in NOT_DISCOVERY_TAGS
