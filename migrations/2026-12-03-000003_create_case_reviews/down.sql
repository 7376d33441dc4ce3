DROP TABLE case_reviews;
