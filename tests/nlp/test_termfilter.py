import pytest

from caseminer.nlp.termfilter import is_term_like


@pytest.mark.parametrize("word", ["防贫预警", "易地搬迁", "扶贫产业园", "建档立卡贫困户", "新型经营主体", "以奖代补",
                                  "志智双扶", "两不愁三保障", "三变改革", "一村一品", "村集体经济", "五防机制",
                                  "因病致贫", "对口帮扶", "就业扶贫", "东西部扶贫协作", "扶贫基地", "研究所",
                                  "自主创业", "整村推进", "红军后代", "农民丰收节", "现代产业体系", "小康路上",
                                  "驻村第一书记", "三区三州", "闽宁协作", "乌蒙山区", "社会保障体系", "人居环境", "监测对象",
                                  "建档立卡", "因地制宜", "扶贫开发", "同化作用", "参与式扶贫", "规范性文件", "规范化管理", "覆盖率", "以人民为中心", "农业可持续发展", "全县人民",
                                  "全面建成小康社会", "全面小康", "统筹城乡", "先诊疗后付费", "先建后补", "充分就业", "乡村建设行动", "扶贫合作社",
                                  "黄大发精神", "左右江革命老区",
                                  # a numbered slogan and one-character words end in a light verb
                                  "五通八有", "求是", "适应能力", "吃穿不愁",
                                  "扶志", "扶智", "兜底", "稳岗", "摆脱贫困", "消除绝对贫困", "四好农村路",
                                  # words the lexicon lists whole keep their quantifier
                                  "多种经营", "全体会议", "所有制",
                                  "应保尽保", "应助尽助", "在线教育", "要素保障", "台账管理", "人大代表团", "代表大会",
                                  # a verb inside a compound before a body or place
                                  "乡村振兴联合体", "雄安新区",
                                  # an official name with 和 past ten characters; 和 cut off 和美;
                                  # 和 before a one-character word; kinds of village
                                  "东西部扶贫协作和对口支援", "宜居宜业和美乡村", "智能电网和微电网",
                                  "贫困村", "示范村", "移民新村", "深度贫困村", "脱贫县", "特色小镇",
                                  # a reform of institutions; one word of the dictionary
                                  "机构改革", "社会保障",
                                  # an outcome named by its kind, not by its subject; a programme's
                                  # name with 奔小康; farmers' income as a goal
                                  "精准脱贫", "稳定脱贫", "规模性返贫", "携手奔小康", "农民增收",
                                  # a predicate verb inside the name of a measure or a fund
                                  "职业技能提升行动", "学生营养改善计划", "衔接推进乡村振兴补助资金",
                                  "农村危房改造工程",
                                  # a word that a suffix makes, and "resolving debt"
                                  "营利性服务业", "中小型企业", "中国式现代化", "化债",
                                  # the frame 以……为…… whole; 为 in an idiom
                                  "以人民为中心", "以企业为主体", "变废为宝", "化危为机",
                                  # a verb that opens predicates, inside the name of a measure or
                                  # a word the lexicon lists whole
                                  "造福工程", "支持系统", "维护费用",
                                  # the groups a policy names
                                  "脱贫群众", "搬迁群众", "困难群众", "村干部", "驻村干部", "少数民族群众",
                                  # cadres, a subject of their own (researchers' keywords)
                                  "党员干部", "基层干部", "基层党员干部",
                                  # what is measured or recorded of a domain's process
                                  "脱贫质量", "致贫原因", "返贫原因",
                                  # programmes named by a magnitude; kinds of village or town
                                  "千项万亿", "万名干部规划家乡行动", "千人计划", "山村", "渔村", "古镇", "强村",
                                  # researchers' keywords with a verb that often opens or closes a predicate
                                  "吸纳就业", "拎包入住",
                                  # 摆脱贫困 as the goal, 重大 and 重要 in front
                                  "摆脱贫困", "重大项目", "国家重大战略", "重要讲话精神",
                                  # 代表, 用 and a localiser as parts of words
                                  "代表团", "人大代表", "用工", "用电需求", "表外融资",
                                  # the verbs as parts of words
                                  "冲击波", "平稳运行",
                                  # the whole pair, 之 and 得 in coined terms, 时 inside a word
                                  "一户一策", "一村一品", "坚中之坚", "稳得住", "搬得出", "实时", "完成率",
                                  "十九届二中全会", "不愁吃", "两不愁", "政策倾斜", "最大公约数",
                                  # ... but numbered sessions, problems, and 农家乐's kin
                                  "十八大", "十九大", "融资贵", "看病难", "藏家乐", "渔家乐",
                                  "病例", "超市", "丰富多彩", "达标", "靠山吃山", "版权",
                                  # the words themselves, and words that hold them
                                  "出席率", "架空线路", "枚举", "艘次", "曝光台", "曝光率", "连续性", "连续梁",
                                  "常驻", "派驻", "中国驻外使馆", "小时工",
                                  # numbered slogans; the Party where it is no verb's object
                                  "三个年", "五个一", "四个意识", "毕业生", "高校毕业生", "听取意见",
                                  "全面从严治党", "童心向党", "三进下党", "管党治党", "马克思主义政党",
                                  # a named spirit keeps its praise; 公开 closes policies; villages
                                  # reached one by one; cadres of the people; digital publishing
                                  "伟大建党精神", "伟大抗疫精神", "政务公开", "司法公开", "村村通",
                                  "户户通", "村村通硬化路", "全国党员", "全国脱贫群众", "数字出版",
                                  "包容性增长", "人大代表建议", "运行机制", "防范措施",
                                  "携手奔小康", "成功经验", "新农合", "新村民", "新材料", "新时代文明实践中心",
                                  "新发展理念", "党内法规", "区内", "境内外", "点对点", "来华留学", "正风肃纪"])
def test_termfilter_keeps_terms(word):
    assert is_term_like(word)


@pytest.mark.parametrize("word", ["在内地贫困地区", "落后的观念", "新的", "年年", "有暴雨", "没少", "年全县",
                                  "习近平总书记来到", "在全县", "户村民", "给予肯定", "要求落实", "不断推进",
                                  "还有什么困难", "以后要",
                                  # news register: reporting verbs, titles, complements, time adverbials
                                  "总书记指出", "会议强调", "数据显示", "全会提出", "详细询问", "习近平总书记", "国家主席",
                                  "乡亲们", "结合起来", "解决好", "扎实推进", "深入实施", "贫困人口减少",
                                  "十八大以来", "座谈会上", "国务院扶贫办今天", "如期脱贫", "着力扩大", "持续增收", "县里", "县里出台", "全县累计", "实践表明",
                                  # a noun phrase about a term (abstract head), places
                                  "扶贫工作", "帮扶措施", "脱贫任务", "四川凉山州", "福建省宁德市", "湘西州", "澜沧县",
                                  # set phrases of the register that jieba lists as one word
                                  "全面落实", "大力发展", "今年以来", "如期完成",
                                  # a manner adverb before a verb phrase, a degree adverb inside, a
                                  # modal verb first, a thing and its news event
                                  "着力稳就业", "持续扩大内需", "培育更多", "能公司", "政策出台",
                                  "保持社会和谐稳定", "筑牢", "做优", "织密", "讲好", "上开新局",
                                  # an auxiliary inside, a measure word first, a pronoun last
                                  "旅游等产业", "集电视专题片", "扶持谁",
                                  # a verb and a place as its object, a modal verb at an edge
                                  "支持郑州", "维护联合国", "世界各国应该",
                                  # degree adverbs, a verb and its result first, a place word as
                                  # object, a verb used as a preposition, a short campaign
                                  "十分关心", "倍感振奋", "备受鼓舞", "打好精准", "用好资金", "办好实事",
                                  "了解当地", "结合当地", "作为重大", "专项行动", "发表重要讲话", "奠定坚实基础", "习近平在人民大会堂", "海军第",
                                  "好精准扶贫", "生态环境没有替代品", "夫人彭丽媛", "播发央视快评",
                                  "允许在校学生休学创业", "产业政策要准", "增产明显", "地震发生", "条举措促进电子产品消费",
                                  "第一书记余亚斌", "党支部书记孙丽美", "一是", "同比增长",
                                  # a preposition between two words: a clause
                                  "群众用积分", "重心向基层下移", "人民对美好生活", "西安至延安",
                                  # the tail of 以……为…… with its 以 cut off
                                  "科学发展观为指导", "市场为导向", "民生为大", "社区为依托",
                                  # a decision reported, an event held, a count
                                  "会议确定", "举行北京冬奥会", "一人", "每一",
                                  # a preposition and its object: an adverbial
                                  "以实际行动", "因灾", "用法治",
                                  # a news outlet and its column: a story's source
                                  "央视快评", "人民日报发表评论员文章", "央视网消息", "本台消息",
                                  # more verbs of the register opening a predicate
                                  "补齐短板", "激发内生动力", "创造高品质生活",
                                  # a coordination, a negated verb first, a verb and its complement
                                  # 起, a reporting verb and its object
                                  "疫情防控和经济恢复", "理论和实践", "建立和完善", "资源与环境",
                                  "不算贫困户", "未能完成", "承担起", "构建起", "告诉记者", "表示衷心感谢",
                                  # villages and towns by name, a head of state by name
                                  "化屋村", "十八洞村", "张店镇", "龙泉关镇", "卢拉总统",
                                  # a group of people, a verb used as a preposition first
                                  "广大教师", "广大干部群众", "面向国内外读者销售", "来自基层",
                                  # made only of the abstract vocabulary of policy texts
                                  "体制机制", "制度体系", "改革创新", "经济建设",
                                  # a group of people or a whole place and the outcome it reaches
                                  "贫困人口脱贫", "群众脱贫致富", "贫困人口实现脱贫", "全国脱贫", "村民脱贫致富",
                                  # a verb of support with the programme as its object
                                  "助力乡村振兴", "助推脱贫攻坚", "投身乡村振兴",
                                  # joining or taking part, with what is joined as the object
                                  "加入合作社", "参加培训", "参加座谈会",
                                  # a passive (受 + agent + verb)
                                  "受疫情影响", "受国务院委托",
                                  # a sentence: subject, predicate verb, object (headlines in quotes)
                                  "肾病患者进入尿毒症", "高质量完成脱贫攻坚", "重点对象完成危房改造",
                                  # a suffix cut off its stem: the tail of a longer term
                                  "性服务业", "型企业", "式现代化", "化建设", "业扶贫",
                                  # a manner adverbial and its verb: a predicate
                                  "充分彰显", "正式开通", "积极稳妥推进", "完整准确贯彻新时代党",
                                  # a verb that opens a predicate, or closes one
                                  "支持深度贫困地区", "累计投放", "防范金融风险", "进入新时代", "发表题为",
                                  "基本建成", "全部完成", "落地见效", "担当作为", "地处秦巴山区", "激活产业",
                                  "森林覆盖率达到", "采用随机控制实验", "基于面板数据",
                                  "相当于全市生产总值", "高于全国平均水平", "低于全国平均",
                                  "规范金融机构", "规范经营", "生态环境恶化", "产业结构不合理",
                                  # a fund's use; a date from the text's own day
                                  "中央财政用于科技", "资金用于", "今年一季度", "今年中央财政", "当前形势",
                                  # a verdict, a state that goes on, the frame 以…为…, every kind of
                                  "会议高度评价", "李克强充分肯定", "注重同步推进", "覆盖城乡", "国民经济持续",
                                  "伟大事业继续推向前进", "供给侧结构性改革为主线", "市场为导向", "各项改革", "各个领域",
                                  "紧紧围绕主题主线", "紧紧抓住", "不同地区", "不同阶层背景",
                                  # cause, analysis and conduct in academic papers; a clause's light verb
                                  "影响精准扶贫", "导致个体", "接受现实", "等待政府救援", "吃健康食品",
                                  "适应新产业", "负向影响", "化石为主", "县域有", "目标是",
                                  # people in general, not a group a policy names
                                  "干部群众", "人民群众", "各族群众", "基层干部群众", "各界人士", "干部职工",
                                  # an abstract head after a common verb or a domain verb: the register
                                  "增长原因", "脱贫任务", "扶贫工作", "扶贫力度",
                                  # the tail of a count; the end of a village's name
                                  "万个贫困村", "万余贫困户", "湾村", "寨村", "溪村",
                                  "制定专门", "纳入低保", "小康社会打下", "扶贫项目开工", "工作队请来", "全面收官",
                                  # a person whose name the dictionary splits (黄|大发), and a verb
                                  "黄大发带", "张桂梅办学",
                                  # a quantified phrase: how much of a thing, no name of one
                                  "部分地区", "所有贫困户", "全体党员", "大量资金", "有关部门", "相关负责人",
                                  "多数农户", "全部贫困户",
                                  # keywords of poverty stories (session 54): an outcome the lexicon
                                  # cuts, an attribute cut off its noun, verbs opening a predicate
                                  "贫困人口摆脱贫困", "国家重大", "意义重大", "改进基本医疗保险",
                                  "壮大县域富民产业", "代表党中央", "非洲人摆脱", "创业中增长智慧才干",
                                  "大数据让扶贫更加精准", "用三年时间", "体系更加健全",
                                  # keywords of general news stories
                                  "打击恐怖主义", "抓获犯罪嫌疑人", "呈现新气象", "国务院高度重视",
                                  "形势总体平稳",
                                  # the poverty stories' corpus list: a place or a time after a word, a
                                  # pair cut in half, an aspect particle, a verb and its object
                                  "贫困户家中", "离开村子时", "一户一", "一村一", "脱了贫", "完成脱贫",
                                  "压实责任", "搬入新居", "十九届二中", "上规模最大", "农村贫困人口不愁吃",
                                  "担任村支书", "协助党委",
                                  # a one-character adjective after a word: a judgement, or a cut noun
                                  "贫困程度深", "涉及面广", "质量高", "就业新",
                                  # general stories' keywords
                                  "例疑似病例", "暨世界反法西斯战争胜利", "诉诸外交途径", "降雨量达",
                                  "企业改革发展相结合", "品种丰富", "疫情带来", "靠公路", "版增订版",
                                  # attending, and a count cut from its number (case lists of general stories)
                                  "出席招待会", "出席会议", "趟旅客列车", "枚金牌", "艘驱逐舰",
                                  # two terms joined by 和, where the lexicon cuts one into characters
                                  "双创基地和众创空间",
                                  # "when ... said", "exposed", "in a row" before its verb
                                  "代表团审议时说", "国家税务总局曝光", "通报曝光", "沙化土地面积连续",
                                  # 驻 with its place cut off; hours counted
                                  "中国驻", "小时新增确诊", "小时内",
                                  # graduated, heard; a small count of places; the Party cut off before 的
                                  "研究生毕业", "会议听取", "三个村", "两个县", "新时代党", "新时期党",
                                  "学习贯彻党", "号召全党",
                                  # a channel or an outlet
                                  "综合频道", "科教频道", "中央人民广播电台播出", "中国国际电视台",
                                  "全国各省级电视台",
                                  # praise of a result or a time; the people of a whole nation
                                  "辉煌成就", "精彩节目", "历史性跨越", "巨大成就", "美好家园", "深刻领会",
                                  "全国各族人民", "全党全国各族人民",
                                  # a name's last character before a word opening with it; 大 of 人大代表
                                  "村村干部", "州州长", "大代表风采录",
                                  # an adverbial cut off its verb; 进行 and 同比 inside a clause
                                  "产生积极", "采取切实", "进展顺利", "国进行正式", "问题进行", "利润同比增长",
                                  # news of the day, a book's imprint, what a list includes
                                  "俄罗斯国防部公布", "成功出席", "因病离世", "强烈谴责", "频道播出",
                                  "人民出版社出版", "新华书店发行", "内容包括",
                                  # set verb phrases the lexicon lists whole
                                  "充满信心", "深入基层", "深入人心", "勇于创新",
                                  # keeping firm, bringing together, succeeding
                                  "坚定信心", "坚定文化自信", "结合实际", "成功发射", "成功脱贫", "圆满成功",
                                  # what an event brings about; a prospect judged
                                  "伸出援手", "引发抗议", "迎来客流高峰", "令人难忘", "前景广阔",
                                  # a stage of progress called new
                                  "新时代", "新征程", "新篇章", "新台阶", "新发展",
                                  # suffering, receiving, taking; a report says; a ceremony held; willing to
                                  "遭枪杀", "受到热烈欢迎", "注入新动力", "开启新征程", "发表声明称",
                                  "北京人民大会堂举行仪式", "愿同中方加强",
                                  # the causative, a demonstrative inside, guaranteeing (government work reports)
                                  "使国民经济", "经济建设这个中心", "保证改革", "陪同李克强",
                                  # within a period or a place
                                  "过渡期内", "保护区内", "全国范围内", "作宣讲报告", "做强国内大循环",
                                  "来认识", "领会习近平新时代", "人死于", "点半", "点档",
                                  # a set verb phrase closing a clause; praise alone
                                  "部门结合实际", "美好", "辉煌"])
def test_termfilter_rejects_clause_pieces(word):
    assert not is_term_like(word)


@pytest.mark.parametrize("word, expected", [("发展", False), ("推动", False), ("贵州", False), ("今年", False),
                                            ("合作社", True), ("贫困户", True), ("扶贫产业园", True),
                                            ("在内地贫困地区", False), ("村外", False),
                                            # the dictionary lists this county as a verb: its stem is a name
                                            ("宕昌县", False),
                                            # places it does not list: a place's name and a unit
                                            ("林芝市", False), ("神山村", False), ("贫困村", True), ("示范村", True)])
def test_termfilter_discoveries_exclude_general_vocabulary(word, expected):
    from caseminer.nlp.lexicon import jieba_lexicon
    from caseminer.nlp.termfilter import is_discovery

    assert is_discovery(word, jieba_lexicon()) is expected


@pytest.mark.parametrize("word, expected", [("陈洪松", True), ("陈明星", True), ("何立峰", True), ("张剑峰", True), ("高永华", True), ("沈德咏", True), ("傅政华", True),
                                            ("周转房", False), ("高标准", False), ("黄花菜", False),
                                            ("康养", False), ("苗绣", False), ("毛南族", False), ("脱贫户", False),
                                            ("边缘户", False), ("孙家沟", False),
                                            ("老沈", True), ("小王", True), ("老区", False), ("小额", False),
                                            # a rarer surname: three characters whose first two are no word, and no head last
                                            ("栗战书", True), ("谌贻琴", True), ("詹家队", False)])
def test_termfilter_person_names_are_not_discoveries(word, expected):
    from caseminer.nlp.lexicon import jieba_lexicon
    from caseminer.nlp.termfilter import is_discovery, is_person_name

    assert is_person_name(word) is expected
    if expected:
        assert not is_discovery(word, jieba_lexicon())


@pytest.mark.parametrize("word, expected", [("财政部", True), ("海关总署", True), ("国务院扶贫办", True), ("全国政协", True),
                                            ("农业发展银行", True),
                                            # nt in the dictionary, but common nouns or kinds of facility
                                            ("深加工", False), ("中草药", False), ("中央财政", False), ("卫生院", False),
                                            ("民间艺术团", False),
                                            # not listed, or listed under another tag
                                            ("扶贫协作办", False), ("合作社", False), ("发改委", False)])
def test_organisations_are_the_dictionarys_nt_words_with_an_organisations_head(word, expected):
    from caseminer.nlp.termfilter import is_organisation

    assert is_organisation(word) is expected


def test_dictionary_tags_that_are_plainly_wrong_are_corrected_everywhere():
    from caseminer.nlp.lexicon import TAG_CORRECTIONS, function_words, jieba_lexicon, jieba_tags
    from caseminer.nlp.segmenters import SegmentSettings, segment_many
    from caseminer.nlp.termfilter import is_discovery

    tags, lexicon = jieba_tags(), jieba_lexicon()
    # jieba's dict.txt: 农家乐 nr, 超市 v, 积分 ad, 兜底 s
    assert (tags["农家乐"], tags["超市"], tags["积分"], tags["兜底"]) == ("n", "n", "n", "vn")
    assert all(word in lexicon for word in TAG_CORRECTIONS)  # corrections of words the dictionary has
    assert tags["刘建业"] == "nr" and tags["贾雨村"] == "nr"  # names with the same heads keep theirs
    assert not set(TAG_CORRECTIONS) & function_words()
    # 第三方 (m) opened 第三方评估 with a function word, and discovery's step 3b dropped it
    from caseminer.nlp import discovery
    from caseminer.nlp.lexicon import Background

    assert tags["第三方"] == "n"
    assert not discovery._opens_or_closes_with_function_word("第三方评估", Background(lexicon), function_words())
    # a noun tagged as a name is now a discovery, a quoted measure no clause
    assert is_discovery("农家乐", lexicon) and is_discovery("兜底", lexicon)
    assert is_term_like("积分超市") and is_term_like("生活富裕")
    # segmentation reads the same table
    [tokens] = segment_many(["村里开了积分超市和农家乐。"], SegmentSettings(backend="jieba-fast"))
    assert {t.word: t.pos for t in tokens}.get("农家乐") == "n" and {t.word: t.pos for t in tokens}["超市"] == "n"
