# "convert" is mapped over three series: Airflow expands it into map indexes 0, 1 and 2.
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
    listing = BashOperator(task_id="list", bash_command="echo 'found 3 series'")
    convert = BashOperator.partial(task_id="convert").expand(
        bash_command=[f"echo 'converting series {n}'" for n in (1, 2, 3)]
    )
    listing >> convert
