# "segment" fails on its first try when the run's conf says fail_first=true, and succeeds later.
import pendulum
from airflow import DAG

try:
    from airflow.providers.standard.operators.bash import BashOperator  # Airflow 3
except ImportError:
    from airflow.operators.bash import BashOperator  # Airflow 2

with DAG(
    dag_id="{{ dag_id }}",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 0},
    tags=["kaapana-tests"],
) as dag:
    prepare = BashOperator(task_id="prepare", bash_command="echo 'prepared 3 series'")
    segment = BashOperator(
        task_id="segment",
        bash_command=(
            "if [ '{{ dag_run.conf.get(\"fail_first\", False) }}' = 'True' ]"
            " && [ {{ ti.try_number }} -eq 1 ]; then"
            " echo 'model weights not found'; exit 3; fi;"
            " echo 'segmented 3 series on try {{ ti.try_number }}'"
        ),
    )
    export = BashOperator(task_id="export", bash_command="echo 'exported'")
    prepare >> segment >> export
