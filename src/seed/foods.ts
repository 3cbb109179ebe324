/** A food item a demo store sells: specs are SKU sizes with prices; variants are SKU "colours". */
export interface FoodItem {
  categoryId: string;
  shortName: string;
  name: string;
  hex: string;
  specs: Array<[label: string, yuan: number]>;
  variants: string[];
  points: string[];
}

export const FOODS: Record<'rice' | 'snacks' | 'fresh', FoodItem[]> = {
  rice: [
    {
      categoryId: 'food-rice',
      shortName: '大米',
      name: '盘锦大米 蟹田稻',
      hex: '#efe3c2',
      specs: [
        ['2.5kg', 29],
        ['5kg', 49],
        ['10kg', 89],
      ],
      variants: [],
      points: ['辽河入海口蟹田种植，一年一季', '当季新米，米粒饱满晶莹', '煮饭软糯香甜'],
    },
    {
      categoryId: 'food-rice',
      shortName: '大米',
      name: '盘锦大米 珍珠米',
      hex: '#f2ead6',
      specs: [
        ['5kg', 45],
        ['10kg', 85],
        ['25kg', 199],
      ],
      variants: [],
      points: ['圆粒珍珠米，口感Q弹', '真空包装，新鲜锁香', '产地直发'],
    },
    {
      categoryId: 'food-rice',
      shortName: '稻花香',
      name: '五常稻花香大米',
      hex: '#e9dcb5',
      specs: [
        ['2.5kg', 39],
        ['5kg', 69],
      ],
      variants: ['袋装', '真空砖'],
      points: ['长粒香米，米香浓郁', '黑土地种植', '适合煮饭煲粥'],
    },
    {
      categoryId: 'food-grain-oil',
      shortName: '小米',
      name: '东北黄小米',
      hex: '#e8c25a',
      specs: [
        ['1kg', 19],
        ['2.5kg', 39],
      ],
      variants: [],
      points: ['小米熬粥有米油', '无添加，原粮加工', '宝宝老人都适合'],
    },
    {
      categoryId: 'food-grain-oil',
      shortName: '杂粮',
      name: '五谷杂粮组合',
      hex: '#b88f5a',
      specs: [
        ['1.5kg', 29],
        ['3kg', 55],
      ],
      variants: [],
      points: ['红豆绿豆黑米薏米多种搭配', '独立小包装，一次一包', '粗细搭配更健康'],
    },
  ],
  snacks: [
    {
      categoryId: 'food-snacks',
      shortName: '坚果',
      name: '每日坚果',
      hex: '#c89b62',
      specs: [
        ['15袋', 39],
        ['30袋', 69],
      ],
      variants: ['混合款', '儿童款'],
      points: ['科学配比多种坚果果干', '独立小包装，随身携带', '低温烘焙保留营养'],
    },
    {
      categoryId: 'food-snacks',
      shortName: '牛肉干',
      name: '内蒙古手撕风干牛肉干',
      hex: '#8a3b2a',
      specs: [
        ['250g', 59],
        ['500g', 109],
      ],
      variants: ['原味', '香辣', '孜然'],
      points: ['草原黄牛肉，越嚼越香', '传统风干工艺', '追剧解馋必备'],
    },
    {
      categoryId: 'food-snacks',
      shortName: '薯片',
      name: '手工厚切薯片',
      hex: '#f0c94a',
      specs: [
        ['6袋', 25],
        ['12袋', 45],
      ],
      variants: ['原味', '番茄味', '黄瓜味'],
      points: ['厚切更脆更香', '非油炸工艺', '办公室分享装'],
    },
    {
      categoryId: 'food-snacks',
      shortName: '饼干',
      name: '黄油曲奇饼干',
      hex: '#e7c27d',
      specs: [
        ['400g', 35],
        ['800g', 62],
      ],
      variants: ['原味', '抹茶味', '巧克力味'],
      points: ['新西兰进口黄油', '酥松香甜入口即化', '铁盒装送礼体面'],
    },
    {
      categoryId: 'food-snacks',
      shortName: '辣条',
      name: '怀旧辣条大礼包',
      hex: '#c8342b',
      specs: [
        ['20包', 19],
        ['50包', 39],
      ],
      variants: ['微辣', '中辣'],
      points: ['童年的味道', '多种口味组合', '聚会分享装'],
    },
  ],
  fresh: [
    {
      categoryId: 'food-fresh',
      shortName: '苹果',
      name: '烟台红富士苹果',
      hex: '#c93a32',
      specs: [
        ['5斤装', 29],
        ['10斤装', 52],
      ],
      variants: ['中果', '大果'],
      points: ['脆甜多汁，产地现摘', '坏果包赔', '冷链发货'],
    },
    {
      categoryId: 'food-fresh',
      shortName: '脐橙',
      name: '赣南脐橙',
      hex: '#f0962a',
      specs: [
        ['5斤装', 32],
        ['10斤装', 58],
      ],
      variants: ['中果', '大果'],
      points: ['果肉饱满汁水足', '树上自然熟', '产地直发'],
    },
    {
      categoryId: 'food-fresh',
      shortName: '草莓',
      name: '丹东99草莓',
      hex: '#e0414f',
      specs: [
        ['2斤装', 69],
        ['3斤装', 99],
      ],
      variants: ['精选果', '特大果'],
      points: ['当天采摘当天发', '个大味甜', '顺丰冷链'],
    },
    {
      categoryId: 'food-tea',
      shortName: '龙井',
      name: '明前西湖龙井茶',
      hex: '#7ea04d',
      specs: [
        ['100g', 128],
        ['250g', 298],
      ],
      variants: ['罐装', '礼盒装'],
      points: ['明前头采，豆香浓郁', '手工炒制', '送礼自饮两相宜'],
    },
    {
      categoryId: 'food-tea',
      shortName: '茉莉花茶',
      name: '福州茉莉花茶',
      hex: '#cfd9a1',
      specs: [
        ['125g', 49],
        ['250g', 89],
      ],
      variants: [],
      points: ['七窨花香，回甘持久', '冷泡热泡都好喝', '独立小袋装'],
    },
  ],
};

export const FOOD_WORDS = {
  rice: ['新米', '产地直发', '东北大米', '当季新粮', '粳米', '家庭装'],
  snacks: ['休闲零食', '办公室零食', '追剧零食', '大礼包', '网红零食', '年货'],
  fresh: ['新鲜水果', '现摘现发', '产地直供', '冷链包邮', '礼盒', '当季'],
};
