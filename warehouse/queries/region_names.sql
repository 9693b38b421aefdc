-- every name a region is known by (name, short name, display name) and its code, for `unionfacts correct --region`
SELECT DISTINCT name AS region_name, region_code FROM dim_region
UNION SELECT DISTINCT short_name, region_code FROM dim_region WHERE short_name IS NOT NULL
UNION SELECT DISTINCT display_name, region_code FROM dim_region WHERE display_name IS NOT NULL;
