# Not Python: Airflow reports an import error for this file.
from airflow import DAG
with DAG(dag_id="{{ dag_id }}" schedule=None) as dag:
    pass
