/* Surname candidates from pinyin (see pinyin_surname.h). */
#include "pinyin_surname.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* The common surnames of mainland China, roughly by frequency, then the compound surnames
 * the hub's masking keeps whole (hub/domain_mask.c). */
static const struct {
    const char *pinyin, *hanzi;
} pinyin_surname_table[] = {
    {"wang", "王"},       {"li", "李"},        {"zhang", "张"},       {"liu", "刘"},
    {"chen", "陈"},       {"yang", "杨"},      {"huang", "黄"},       {"zhao", "赵"},
    {"wu", "吴"},         {"zhou", "周"},      {"xu", "徐"},          {"sun", "孙"},
    {"ma", "马"},         {"zhu", "朱"},       {"hu", "胡"},          {"guo", "郭"},
    {"he", "何"},         {"lin", "林"},       {"gao", "高"},         {"luo", "罗"},
    {"zheng", "郑"},      {"liang", "梁"},     {"xie", "谢"},         {"song", "宋"},
    {"tang", "唐"},       {"xu", "许"},        {"deng", "邓"},        {"han", "韩"},
    {"feng", "冯"},       {"cao", "曹"},       {"peng", "彭"},        {"zeng", "曾"},
    {"xiao", "肖"},       {"tian", "田"},      {"dong", "董"},        {"pan", "潘"},
    {"yuan", "袁"},       {"cai", "蔡"},       {"jiang", "蒋"},       {"yu", "余"},
    {"yu", "于"},         {"du", "杜"},        {"ye", "叶"},          {"cheng", "程"},
    {"wei", "魏"},        {"su", "苏"},        {"lv", "吕"},          {"ding", "丁"},
    {"ren", "任"},        {"lu", "卢"},        {"yao", "姚"},         {"shen", "沈"},
    {"zhong", "钟"},      {"jiang", "姜"},     {"cui", "崔"},         {"tan", "谭"},
    {"lu", "陆"},         {"fan", "范"},       {"wang", "汪"},        {"liao", "廖"},
    {"shi", "石"},        {"jin", "金"},       {"wei", "韦"},         {"jia", "贾"},
    {"xia", "夏"},        {"fu", "付"},        {"fang", "方"},        {"zou", "邹"},
    {"xiong", "熊"},      {"bai", "白"},       {"meng", "孟"},        {"qin", "秦"},
    {"qiu", "邱"},        {"hou", "侯"},       {"jiang", "江"},       {"yin", "尹"},
    {"xue", "薛"},        {"yan", "闫"},       {"duan", "段"},        {"lei", "雷"},
    {"long", "龙"},       {"li", "黎"},        {"shi", "史"},         {"tao", "陶"},
    {"he", "贺"},         {"mao", "毛"},       {"hao", "郝"},         {"gu", "顾"},
    {"gong", "龚"},       {"shao", "邵"},      {"wan", "万"},         {"qin", "覃"},
    {"wu", "武"},         {"qian", "钱"},      {"dai", "戴"},         {"yan", "严"},
    {"mo", "莫"},         {"kong", "孔"},      {"xiang", "向"},       {"chang", "常"},
    {"tang", "汤"},       {"kang", "康"},      {"yi", "易"},          {"qiao", "乔"},
    {"lai", "赖"},        {"wen", "文"},       {"shi", "施"},         {"hong", "洪"},
    {"xin", "辛"},        {"liu", "柳"},       {"lu", "鲁"},          {"ge", "葛"},
    {"ouyang", "欧阳"},   {"sima", "司马"},    {"shangguan", "上官"}, {"zhuge", "诸葛"},
    {"dongfang", "东方"}, {"huangfu", "皇甫"}, {"murong", "慕容"},    {"linghu", "令狐"},
};

#define PINYIN_SURNAME_N         (sizeof pinyin_surname_table / sizeof pinyin_surname_table[0])
#define PINYIN_SURNAME_MAX_TYPED 16

size_t pinyin_surname_match(const char *typed, const char **out, size_t max)
{
    char low[PINYIN_SURNAME_MAX_TYPED + 1];
    size_t len = typed ? strlen(typed) : 0;
    if (len == 0 || len > PINYIN_SURNAME_MAX_TYPED)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!isalpha((unsigned char)typed[i]))
            return 0;
        low[i] = (char)tolower((unsigned char)typed[i]);
    }
    low[len] = '\0';
    size_t n = 0;
    /* two passes: the exact spellings, then the longer ones that start the same */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < PINYIN_SURNAME_N && n < max; i++) {
            const char *p = pinyin_surname_table[i].pinyin;
            bool exact = strcmp(p, low) == 0;
            if (pass == 0 ? exact : (!exact && strncmp(p, low, len) == 0))
                out[n++] = pinyin_surname_table[i].hanzi;
        }
    }
    return n;
}
