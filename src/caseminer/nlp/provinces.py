"""Canonical provincial-level units and the forms researchers write them in.

The canonical list: the 31 provinces, autonomous regions and municipalities of
the mainland, the Xinjiang Production and Construction Corps (新疆生产建设兵团, a
separate unit in poverty-alleviation statistics, as in the reference study), and
Hong Kong, Macao and Taiwan. Canonical names are the short forms (广西, 内蒙古,
新疆兵团) used in Chinese statistical tables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# canonical short name -> (full official name, English name, region)
PROVINCES: dict[str, tuple[str, str, str]] = {
    "北京": ("北京市", "Beijing", "东部"),
    "天津": ("天津市", "Tianjin", "东部"),
    "河北": ("河北省", "Hebei", "东部"),
    "山西": ("山西省", "Shanxi", "中部"),
    "内蒙古": ("内蒙古自治区", "Inner Mongolia", "西部"),
    "辽宁": ("辽宁省", "Liaoning", "东北"),
    "吉林": ("吉林省", "Jilin", "东北"),
    "黑龙江": ("黑龙江省", "Heilongjiang", "东北"),
    "上海": ("上海市", "Shanghai", "东部"),
    "江苏": ("江苏省", "Jiangsu", "东部"),
    "浙江": ("浙江省", "Zhejiang", "东部"),
    "安徽": ("安徽省", "Anhui", "中部"),
    "福建": ("福建省", "Fujian", "东部"),
    "江西": ("江西省", "Jiangxi", "中部"),
    "山东": ("山东省", "Shandong", "东部"),
    "河南": ("河南省", "Henan", "中部"),
    "湖北": ("湖北省", "Hubei", "中部"),
    "湖南": ("湖南省", "Hunan", "中部"),
    "广东": ("广东省", "Guangdong", "东部"),
    "广西": ("广西壮族自治区", "Guangxi", "西部"),
    "海南": ("海南省", "Hainan", "东部"),
    "重庆": ("重庆市", "Chongqing", "西部"),
    "四川": ("四川省", "Sichuan", "西部"),
    "贵州": ("贵州省", "Guizhou", "西部"),
    "云南": ("云南省", "Yunnan", "西部"),
    "西藏": ("西藏自治区", "Tibet", "西部"),
    "陕西": ("陕西省", "Shaanxi", "西部"),
    "甘肃": ("甘肃省", "Gansu", "西部"),
    "青海": ("青海省", "Qinghai", "西部"),
    "宁夏": ("宁夏回族自治区", "Ningxia", "西部"),
    "新疆": ("新疆维吾尔自治区", "Xinjiang", "西部"),
    "新疆兵团": ("新疆生产建设兵团", "Xinjiang Production and Construction Corps", "西部"),
    "香港": ("香港特别行政区", "Hong Kong", "港澳台"),
    "澳门": ("澳门特别行政区", "Macao", "港澳台"),
    "台湾": ("台湾省", "Taiwan", "港澳台"),
}

_EXTRA_ALIASES = {
    "兵团": "新疆兵团",
    "新疆建设兵团": "新疆兵团",
    "新疆生产建设兵团": "新疆兵团",
    "xpcc": "新疆兵团",
    "内蒙": "内蒙古",
    "hk": "香港",
    "hongkong": "香港",
    "macau": "澳门",
    "innermongolia": "内蒙古",
    "shaanxi": "陕西",
}

_SUFFIXES = ("特别行政区", "维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "省", "市")


def _key(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip().lower()
    return re.sub(r"[\s\-_'.]", "", value)


def _build_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for short, (full, english, _region) in PROVINCES.items():
        aliases[_key(short)] = short
        aliases[_key(full)] = short
        aliases[_key(english)] = short
        for suffix in ("省", "市", "自治区"):
            aliases.setdefault(_key(short + suffix), short)
    for alias, short in _EXTRA_ALIASES.items():
        aliases[_key(alias)] = short
    return aliases


_ALIASES = _build_aliases()


@dataclass(frozen=True)
class ProvinceMatch:
    value: str  # what the data said
    canonical: str | None  # None: not recognised (kept, reported as a warning)


def normalise_province(value: str | None) -> ProvinceMatch:
    """Map a province as written (广西, 广西壮族自治区, 广西省, Guangxi) to its short name.

    Unknown values come back with ``canonical=None``: the caller keeps the value and
    reports it; nothing is silently dropped.
    """
    if value is None or not str(value).strip():
        return ProvinceMatch(value or "", None)
    key = _key(str(value))
    if key in _ALIASES:
        return ProvinceMatch(value, _ALIASES[key])
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in _ALIASES:
            return ProvinceMatch(value, _ALIASES[key[: -len(suffix)]])
    return ProvinceMatch(value, None)


#: The regions in the order of the National Bureau of Statistics' tables (PROVINCES is in
#: the yearbooks' order of provinces).
REGIONS = ("东部", "中部", "西部", "东北", "港澳台")


def region_of(canonical: str) -> str | None:
    """东部/中部/西部/东北/港澳台 for a canonical province name."""
    entry = PROVINCES.get(canonical)
    return entry[2] if entry else None


# A title's lead-in before its first words: tags (【走基层】, [视频]), a year (2019年),
# numbering (01, 3., 案例一：, 第3章), and spaces.
_TITLE_LEAD = re.compile(
    r"^(?:\s+|【[^】]{0,60}】|\[[^\]]{0,60}\]|〔[^〕]{0,60}〕|[0-9]{4}\s*年度?|"
    r"(?:案例|第)?\s*[0-9０-９一二三四五六七八九十百]+\s*[章节篇个]?(?=[\s.．、:：\-_)）]|案例)[\s.．、:：\-_)）]*|"
    r"案例\s*[:：]?)")
_HAN_ALIASES = sorted((alias for alias in _ALIASES if re.fullmatch(r"[\u4e00-\u9fff]+", alias)), key=len, reverse=True)
# Places outside the province their name begins with: 海南藏族自治州 and 河南蒙古族自治县 are in Qinghai.
_NOT_THE_PROVINCE = re.compile(r"^(?:海南(?:藏族|州)|河南(?:蒙古族|县))")


def province_at_start(title: str | None) -> str | None:
    """The province a title opens with, as case reports and news items name their place
    (贵州威宁：产业化扶贫促农增收, 【走基层】云南：..., 01 甘肃省临夏州...), canonical; None
    when it opens with none, or names another province as well (广东帮扶广西: whose case is
    it?), or opens with a place of another province named alike (海南藏族自治州).

    Example:
        >>> province_at_start("【决战决胜脱贫攻坚】贵州威宁：产业化扶贫促农增收")
        '贵州'
        >>> province_at_start("广东清远对口帮扶广西百色"), province_at_start("宁川县构建防贫监测体系")
        (None, None)
    """
    if not title:
        return None
    text = unicodedata.normalize("NFKC", title).strip()
    while (lead := _TITLE_LEAD.match(text)) and lead.end() > 0:
        text = text[lead.end():]
    if _NOT_THE_PROVINCE.match(text):
        return None
    alias = next((a for a in _HAN_ALIASES if text.startswith(a)), None)
    if alias is None:
        return None
    province = _ALIASES[alias]
    rest = text[len(alias):]
    others = {_ALIASES[a] for a in _HAN_ALIASES if len(a) >= 2 and a in rest} - {province}
    return None if others else province
