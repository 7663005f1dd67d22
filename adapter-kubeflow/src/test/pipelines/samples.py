"""The Kubeflow adapter's sample pipelines, compiled with the kfp SDK into
../resources/pipelines/ by `scripts/kubeflow/kfp-env.sh compile` (CompiledPipelinesTest checks that
the committed files are what the pinned SDK compiles).

Every task is a container component running busybox's sh, so that the stub KFP API server can run
its command as a local process, as the Argo stub does. A task's name (its key in the pipeline
spec) is its component's name.
"""
import sys

from kfp import compiler, dsl


def sh(script, *args):
    return dsl.ContainerSpec(image="busybox:1.36", command=["sh", "-c", script], args=list(args))


@dsl.container_component
def fetch(patient: str):
    return sh('echo "fetching 3 series for $0"; echo done', patient)


@dsl.container_component
def convert():
    return sh("echo converting")


@dsl.container_component
def report():
    return sh("echo reporting")


@dsl.container_component
def prepare():
    return sh("echo preparing")


@dsl.container_component
def segment(marker: str):
    # Fails while the marker file does not exist (and creates it), so a retry succeeds.
    return sh('if [ -e "$0" ]; then echo "segmented on a later try"; '
              'else touch "$0"; echo "model weights not found"; exit 3; fi', marker)


@dsl.container_component
def export():
    return sh("echo exporting")


@dsl.container_component
def wait():
    return sh('echo "sleeping as pid $$"; echo "waiting for the scanner"; exec sleep 600')


@dsl.container_component
def after():
    return sh("echo after the wait")


def uncached(task):
    task.set_caching_options(False)
    return task


@dsl.pipeline(name="three-tasks", description="Three tasks in a row.")
def three_tasks(patient: str = "anonymous"):
    first = uncached(fetch(patient=patient))
    second = uncached(convert()).after(first)
    uncached(report()).after(second)


@dsl.pipeline(name="fails-once", description="segment fails on its first attempt.")
def fails_once(marker: str):
    first = uncached(prepare())
    second = uncached(segment(marker=marker)).after(first)
    uncached(export()).after(second)


@dsl.pipeline(name="sleeps", description="A task that waits ten minutes unless stopped.")
def sleeps():
    first = uncached(wait())
    uncached(after()).after(first)


if __name__ == "__main__":
    for name, pipeline in [("three-tasks", three_tasks), ("fails-once", fails_once),
                           ("sleeps", sleeps)]:
        compiler.Compiler().compile(pipeline, f"{sys.argv[1]}/{name}.yaml")
