#!/usr/bin/env bash
# Stands in for Argo's executor, which cannot run under kwok (there are no containers):
#  * for every Argo pod that ended, writes the WorkflowTaskResult the executor would have written
#    (the controller waits for it), with output parameters from the pod's annotations
#    "sim.kwok/output.<name>: <value>" and the result from "sim.kwok/result";
#  * decides the outcome of a pod labelled "sim.kwok/decide: fail-once" once it runs: it fails
#    with exit code 3 unless the file named by its annotation "sim.kwok/fail-once-marker" exists,
#    and creates that file (only under $TMPDIR or /tmp), so the next attempt succeeds (what the
#    stub's script does).
# Labels and annotations come from the template's metadata (Argo substitutes parameters in them).
# One watch, idle when nothing happens; started and stopped by real-argo-env.sh.
set -uo pipefail
: "${KUBECONFIG:?}"
events='select(.kind == "Pod" and .metadata.deletionTimestamp == null)
  | (.metadata.annotations // {}) as $notes
  | if (.status.phase == "Succeeded" or .status.phase == "Failed")
      and (.metadata.labels["sim.kwok/task-result"] == null) then
    {do: "task-result", namespace: .metadata.namespace, pod: .metadata.name,
     result: {apiVersion: "argoproj.io/v1alpha1", kind: "WorkflowTaskResult",
       metadata: {name: $notes["workflows.argoproj.io/node-id"], namespace: .metadata.namespace,
         labels: {"workflows.argoproj.io/workflow": .metadata.labels["workflows.argoproj.io/workflow"],
                  "workflows.argoproj.io/report-outputs-completed": "true"},
         ownerReferences: .metadata.ownerReferences},
       outputs: ({parameters: [$notes | to_entries[] | select(.key | startswith("sim.kwok/output."))
                               | {name: (.key | ltrimstr("sim.kwok/output.")), value: .value}]}
                 + (if $notes["sim.kwok/result"] then {result: $notes["sim.kwok/result"]} else {} end))}}
  elif .status.phase == "Running" and .metadata.labels["sim.kwok/decide"] == "fail-once" then
    {do: "fail-once", namespace: .metadata.namespace, pod: .metadata.name,
     marker: ($notes["sim.kwok/fail-once-marker"] // "")}
  else empty end'

task_result() { # event
  local namespace pod
  namespace=$(jq -r .namespace <<<"$1")
  pod=$(jq -r .pod <<<"$1")
  jq .result <<<"$1" | kubectl apply -f - >/dev/null &&
    kubectl label --overwrite pod -n "$namespace" "$pod" sim.kwok/task-result=written >/dev/null &&
    echo "task result of $namespace/$pod"
}

fail_once() { # event
  local namespace pod marker exit=0
  namespace=$(jq -r .namespace <<<"$1")
  pod=$(jq -r .pod <<<"$1")
  marker=$(jq -r .marker <<<"$1")
  # The marker comes from a pod's annotation: only a plain path under the temporary directory
  # (where the tests' working directories are) is ever created.
  case "$marker" in
    "${TMPDIR:-/tmp}"/*) [[ "$marker" == *..* ]] && marker="" ;;
    *) marker="" ;;
  esac
  if [[ -z "$marker" || ! -e "$marker" ]]; then
    exit=3
    [[ -n "$marker" ]] && touch -- "$marker"
  fi
  kubectl label --overwrite pod -n "$namespace" "$pod" "sim.kwok/exit=$exit" sim.kwok/decide- \
    >/dev/null && echo "$namespace/$pod exits $exit"
}

while true; do
  kubectl get pods --all-namespaces --watch --output json \
    --selector 'workflows.argoproj.io/workflow' 2>/dev/null |
    jq --compact-output --unbuffered "$events" |
    while read -r event; do
      case "$(jq -r .do <<<"$event")" in
        task-result) task_result "$event" ;;
        fail-once) fail_once "$event" ;;
      esac
    done
  sleep 1 # the watch ended (the API server restarted, or timed out): watch again
done
