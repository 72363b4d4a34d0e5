"""Names of foreign countries, regions and capitals as Chinese texts write them.

Normalisation reads them: a keyword that puts a foreign place in front of a core
(美国情报部门, 非洲猪瘟, 叙利亚停火协议) names that place's thing, not the core's, and is no
variant of it (session 17's judges called all such merges wrong on a general news corpus).
Domestic places are not listed: a poverty study merges 大别山革命老区 into 革命老区. Compiled
by hand for caseminer; ambiguous short forms are left out (中非 and 中欧 also mean China-Africa
and China-Europe, as in 中欧班列; 美 alone is an adjective), and so are names that also open
Chinese places or common words (巴林左旗, 黑山县; 河内, "in the river"). A name followed by 族
or 洋 opens a domestic word (朝鲜族, a Chinese nationality; 印度洋): see
:func:`opens_with_foreign_place`.
"""

from __future__ import annotations

FOREIGN_PLACES = frozenset("""
美国 加拿大 墨西哥 古巴 巴西 阿根廷 智利 秘鲁 哥伦比亚 委内瑞拉 厄瓜多尔 玻利维亚 乌拉圭 巴拉圭 尼加拉瓜
巴拿马 哥斯达黎加 危地马拉 洪都拉斯 萨尔瓦多 多米尼加 牙买加 海地
英国 法国 德国 意大利 西班牙 葡萄牙 荷兰 比利时 卢森堡 瑞士 瑞典 挪威 芬兰 丹麦 冰岛 爱尔兰 奥地利 捷克
斯洛伐克 匈牙利 罗马尼亚 保加利亚 塞尔维亚 希腊 克罗地亚 斯洛文尼亚 波黑 北马其顿 阿尔巴尼亚
立陶宛 拉脱维亚 爱沙尼亚 波兰 乌克兰 白俄罗斯 摩尔多瓦 俄罗斯 格鲁吉亚 亚美尼亚 阿塞拜疆 马耳他 塞浦路斯
苏格兰 英格兰 威尔士 北爱尔兰 梵蒂冈 摩纳哥
日本 韩国 朝鲜 蒙古国 印度 巴基斯坦 孟加拉国 斯里兰卡 尼泊尔 不丹 马尔代夫 阿富汗
越南 老挝 柬埔寨 泰国 缅甸 马来西亚 新加坡 印度尼西亚 印尼 菲律宾 文莱 东帝汶
哈萨克斯坦 乌兹别克斯坦 吉尔吉斯斯坦 塔吉克斯坦 土库曼斯坦
伊朗 伊拉克 叙利亚 土耳其 沙特 沙特阿拉伯 阿联酋 卡塔尔 科威特 阿曼 也门 约旦 黎巴嫩 以色列 巴勒斯坦
埃及 利比亚 突尼斯 阿尔及利亚 摩洛哥 苏丹 南苏丹 埃塞俄比亚 厄立特里亚 吉布提 索马里 肯尼亚 乌干达 卢旺达
布隆迪 坦桑尼亚 赞比亚 津巴布韦 马拉维 莫桑比克 马达加斯加 毛里求斯 南非 纳米比亚 博茨瓦纳 安哥拉 刚果
刚果（金） 刚果（布） 加蓬 喀麦隆 尼日利亚 尼日尔 乍得 马里 塞内加尔 几内亚 塞拉利昂 利比里亚 科特迪瓦
加纳 多哥 贝宁 布基纳法索 毛里塔尼亚 冈比亚 佛得角 赤道几内亚 中非共和国
澳大利亚 新西兰 斐济 巴布亚新几内亚 萨摩亚 汤加 瓦努阿图 所罗门群岛 基里巴斯
欧盟 欧洲 非洲 亚洲 北美 南美 拉美 拉丁美洲 中东 东南亚 南亚 中亚 西亚 东欧 西欧 北欧 南欧
印第安 加勒比 太平洋岛国
华盛顿 纽约 洛杉矶 伦敦 巴黎 柏林 莫斯科 东京 首尔 平壤 新德里 曼谷 日内瓦 布鲁塞尔 维也纳
""".split())

# A place name followed by one of these opens a domestic word: 朝鲜族 (a Chinese
# nationality), 印度洋 (an ocean China borders). Checked on the character right after the name.
_NOT_AFTER = frozenset("族洋")
_LONGEST = max(map(len, FOREIGN_PLACES))


def opens_with_foreign_place(modifier: str) -> bool:
    """Does ``modifier`` (what a keyword puts in front of a core) open with a foreign place
    (美国|新增, 土耳其, 非洲)? Not a domestic word that starts like one (朝鲜族, 印度洋)."""
    for n in range(min(len(modifier), _LONGEST), 1, -1):
        if modifier[:n] in FOREIGN_PLACES:
            return modifier[n : n + 1] not in _NOT_AFTER
    return False
