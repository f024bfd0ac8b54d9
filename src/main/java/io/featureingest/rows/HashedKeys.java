package io.featureingest.rows;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Where the rows of a frame hashed by key ({@link NewestByHash#hashedByKey}) hold their key hash
 * and key columns, and whether two of them have the same key: two keys may share a hash.
 */
record HashedKeys(int hash, int[] columns, DataType[] types) {
  static HashedKeys of(StructType schema, List<String> keyColumns, String hashColumn) {
    int[] columns = keyColumns.stream().mapToInt(schema::fieldIndex).toArray();
    DataType[] types = new DataType[columns.length];
    for (int i = 0; i < columns.length; i++) {
      types[i] = schema.fields()[columns[i]].dataType();
    }
    return new HashedKeys(schema.fieldIndex(hashColumn), columns, types);
  }

  long hash(InternalRow row) {
    return row.getLong(hash);
  }

  /** Key values equal, byte arrays by content. */
  boolean same(InternalRow a, InternalRow b) {
    for (int i = 0; i < columns.length; i++) {
      Object x = a.get(columns[i], types[i]);
      Object y = b.get(columns[i], types[i]);
      boolean equal =
          x instanceof byte[] bx && y instanceof byte[] by
              ? Arrays.equals(bx, by)
              : Objects.equals(x, y);
      if (!equal) {
        return false;
      }
    }
    return true;
  }
}
