-- The two-level category tree: roots (parent_id null) and their leaves. Products belong to a leaf.
-- is_apparel marks garments: they carry a size chart and a fit type, and the size assistant serves them.
insert into categories (id, parent_id, name_zh, name_en, sort, is_apparel) values
  ('women', null, '女装', 'Women''s apparel', 10, true),
  ('men', null, '男装', 'Men''s apparel', 20, true),
  ('kids', null, '童装', 'Kids', 30, true),
  ('food', null, '食品', 'Food', 40, false),
  ('home', null, '家居', 'Home', 50, false),

  ('women-tshirt', 'women', 'T恤', 'T-shirts', 1, true),
  ('women-shirt', 'women', '衬衫', 'Shirts & blouses', 2, true),
  ('women-dress', 'women', '连衣裙', 'Dresses', 3, true),
  ('women-pants', 'women', '裤装', 'Trousers', 4, true),
  ('women-jeans', 'women', '牛仔裤', 'Jeans', 5, true),
  ('women-coat', 'women', '外套', 'Coats & jackets', 6, true),
  ('women-hoodie', 'women', '卫衣', 'Hoodies & sweatshirts', 7, true),
  ('women-knit', 'women', '针织衫', 'Knitwear', 8, true),

  ('men-tshirt', 'men', 'T恤', 'T-shirts', 1, true),
  ('men-shirt', 'men', '衬衫', 'Shirts', 2, true),
  ('men-pants', 'men', '休闲裤', 'Trousers', 3, true),
  ('men-jeans', 'men', '牛仔裤', 'Jeans', 4, true),
  ('men-coat', 'men', '外套', 'Coats & jackets', 5, true),
  ('men-hoodie', 'men', '卫衣', 'Hoodies & sweatshirts', 6, true),

  ('kids-tshirt', 'kids', '儿童T恤', 'Kids'' T-shirts', 1, true),
  ('kids-pants', 'kids', '儿童裤装', 'Kids'' trousers', 2, true),
  ('kids-coat', 'kids', '儿童外套', 'Kids'' coats', 3, true),

  ('food-rice', 'food', '大米', 'Rice', 1, false),
  ('food-snacks', 'food', '零食', 'Snacks', 2, false),
  ('food-fresh', 'food', '生鲜', 'Fresh produce', 3, false),
  ('food-tea', 'food', '茶饮', 'Tea & drinks', 4, false),
  ('food-grain-oil', 'food', '粮油调味', 'Grain, oil & seasoning', 5, false),

  ('home-bedding', 'home', '床品', 'Bedding', 1, false),
  ('home-storage', 'home', '收纳', 'Storage', 2, false),
  ('home-kitchen', 'home', '厨具', 'Kitchenware', 3, false);

-- Listing a root category reads its leaves.
create index categories_parent on categories (parent_id, sort);

-- SKUs keep the order the merchant gave them (S, M, L … rather than jsonb's or uuid order), so the
-- product page lists sizes and colours the way the merchant meant.
alter table skus add column position int not null default 0;
