"""Daily feature pipeline: ingest yesterday's driver_trips files, then materialize-incremental.

Three variants of the same two steps, one per platform; enable the one you run on:
- SparkSubmitOperator (any Spark cluster Airflow can spark-submit to),
- DataprocSubmitJobOperator (Dataproc 2.2/2.3),
- EmrAddStepsOperator + EmrStepSensor (EMR 7).

Every step writes its run summary with --summary; on Dataproc/EMR it lands in GCS/S3 and
the next task can read it. Exit codes: 2 config, 3 data contract, 4 store down (retry).
The command lines are checked against the jar's parser by JobFilesTest.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.google.cloud.operators.dataproc import DataprocSubmitJobOperator
from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator
from airflow.providers.amazon.aws.sensors.emr import EmrStepSensor

JAR = "feature-ingest.jar"
MAIN_CLASS = "io.featureingest.cli.Main"
CONFIG = "feature_repo.conf"

INGEST_ARGS = [
    "ingest", "driver_trips",
    "--input", "gs://feature-data/raw/driver_trips/{{ ds }}/",
    "--input-format", "parquet",
    "--config", CONFIG,
    "--max-invalid-fraction", "0.01",
    "--summary", "/tmp/feature-ingest/ingest-{{ ds }}.json",
]
MATERIALIZE_ARGS = [
    "materialize-incremental", "driver_trips",
    "--end", "{{ data_interval_end.isoformat() }}",
    "--config", CONFIG,
    "--summary", "/tmp/feature-ingest/materialize-{{ ds }}.json",
]

default_args = {"retries": 2, "retry_delay": timedelta(minutes=5)}

with DAG(
    dag_id="feature_ingest_driver_trips",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args=default_args,
    tags=["feature-ingest"],
) as dag:
    # 1. Any Spark cluster: the jar and the config are shipped with spark-submit.
    ingest = SparkSubmitOperator(
        task_id="ingest",
        application=f"/opt/feature-ingest/{JAR}",
        java_class=MAIN_CLASS,
        files=f"/opt/feature-ingest/{CONFIG}",
        conf={"spark.sql.session.timeZone": "UTC"},
        application_args=INGEST_ARGS,
    )
    materialize = SparkSubmitOperator(
        task_id="materialize_incremental",
        application=f"/opt/feature-ingest/{JAR}",
        java_class=MAIN_CLASS,
        files=f"/opt/feature-ingest/{CONFIG}",
        application_args=MATERIALIZE_ARGS,
    )
    ingest >> materialize

    # 2. Dataproc: the BigQuery connector is preinstalled; the jar and config live in GCS.
    def dataproc_job(args):
        return {
            "reference": {"project_id": "my-project"},
            "placement": {"cluster_name": "features"},
            "spark_job": {
                "main_class": MAIN_CLASS,
                "jar_file_uris": [f"gs://feature-artifacts/{JAR}"],
                "file_uris": [f"gs://feature-artifacts/{CONFIG}"],
                "args": args,
            },
        }

    dp_ingest = DataprocSubmitJobOperator(
        task_id="dataproc_ingest", region="europe-west1", project_id="my-project",
        job=dataproc_job(INGEST_ARGS),
    )
    dp_materialize = DataprocSubmitJobOperator(
        task_id="dataproc_materialize_incremental", region="europe-west1", project_id="my-project",
        job=dataproc_job(MATERIALIZE_ARGS),
    )
    dp_ingest >> dp_materialize

    # 3. EMR: command-runner.jar runs spark-submit on the primary node.
    def emr_step(name, args):
        return {
            "Name": name,
            "ActionOnFailure": "CONTINUE",
            "HadoopJarStep": {
                "Jar": "command-runner.jar",
                "Args": ["spark-submit", "--deploy-mode", "cluster", "--class", MAIN_CLASS,
                         "--files", f"s3://feature-artifacts/{CONFIG}",
                         f"s3://feature-artifacts/{JAR}"] + args,
            },
        }

    emr_steps = EmrAddStepsOperator(
        task_id="emr_add_steps", job_flow_id="{{ var.value.emr_cluster_id }}",
        steps=[emr_step("ingest", INGEST_ARGS), emr_step("materialize-incremental", MATERIALIZE_ARGS)],
    )
    emr_wait = EmrStepSensor(
        task_id="emr_wait", job_flow_id="{{ var.value.emr_cluster_id }}",
        step_id="{{ task_instance.xcom_pull(task_ids='emr_add_steps')[-1] }}",
    )
    emr_steps >> emr_wait
