# "wait" says it waits, writes its process id, then sleeps for ten minutes unless stopped.
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
    wait = BashOperator(
        task_id="wait",
        bash_command="echo \"sleeping as pid $$\"; echo 'waiting for the scanner'; sleep 600",
    )
    after = BashOperator(task_id="after", bash_command="echo 'never reached'")
    wait >> after
