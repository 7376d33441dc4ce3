DROP TABLE measurement_imports;
