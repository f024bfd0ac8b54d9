package io.featureingest.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OnlineWriterTasksTest {
  @Test
  void smallWritesGetFourTasksPerCore() {
    assertThat(OnlineWriter.writeTasks(0, 2)).isEqualTo(8);
    assertThat(OnlineWriter.writeTasks(1_000_000, 2)).isEqualTo(8);
    assertThat(OnlineWriter.writeTasks(10, 0)).isEqualTo(4);
  }

  @Test
  void largeWritesGetAMillionRowsPerTaskAtMost() {
    assertThat(OnlineWriter.writeTasks(50_000_001, 2)).isEqualTo(51);
    assertThat(OnlineWriter.writeTasks(Long.MAX_VALUE, 8)).isEqualTo(100_000);
  }
}
