# Three tasks in a row; the first prints the series it "fetches". Kaapana replaces {{ dag_id }}
# and {{ workflow_title }}.
import pendulum
from airflow import DAG

try:
    from airflow.providers.standard.operators.bash import BashOperator  # Airflow 3
except ImportError:
    from airflow.operators.bash import BashOperator  # Airflow 2

with DAG(
    dag_id="{{ dag_id }}",
    dag_display_name="{{ workflow_title }}",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 0},
    tags=["kaapana-tests"],
) as dag:
    fetch = BashOperator(
        task_id="fetch",
        bash_command="echo 'fetching 3 series for {{ dag_run.conf.get(\"patient\", \"anonymous\") }}'",
    )
    convert = BashOperator(task_id="convert", bash_command="echo 'converting series 1..3'")
    report = BashOperator(task_id="report", bash_command="echo 'report written'")
    fetch >> convert >> report
