package com.example.vigil.csv;

/**
 * The settings of a {@code csv-cmdb} connector entry:
 *
 * <pre>
 * connectors:
 *   cmdb: { type: csv-cmdb, file: cmdb.csv }
 * </pre>
 *
 * @param file the CSV file, relative to the configuration file's folder; its header names the columns
 *     ({@code key} is required; {@code type}, {@code name}, {@code owner}, {@code confidentiality},
 *     {@code integrity}, {@code availability}, {@code dependsOn} (separated by {@code ;}) are known; any other
 *     column becomes an attribute)
 */
public record CsvSettings(String file) {}
