package main

// Checks of the Kubernetes manifests in deploy/kubernetes. Every document
// is decoded strictly (unknown, misplaced, duplicate or wrongly cased
// fields fail, as with the API server's strict field validation) into the
// k8s.io/api type its apiVersion and kind name, and the manifests are
// checked against each other and against the config they mount.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	kyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/sanctions-etl/sanctions-etl/sources/all"
)

const deployDir = "../../deploy/kubernetes"

// deployKinds are the only kinds deploy/kubernetes may hold, each with the
// Go type it decodes into. Anything else fails the test.
var deployKinds = map[schema.GroupVersionKind]func() runtime.Object{
	batchv1.SchemeGroupVersion.WithKind("CronJob"):       func() runtime.Object { return &batchv1.CronJob{} },
	appsv1.SchemeGroupVersion.WithKind("Deployment"):     func() runtime.Object { return &appsv1.Deployment{} },
	corev1.SchemeGroupVersion.WithKind("ServiceAccount"): func() runtime.Object { return &corev1.ServiceAccount{} },
	corev1.SchemeGroupVersion.WithKind("ConfigMap"):      func() runtime.Object { return &corev1.ConfigMap{} },
	corev1.SchemeGroupVersion.WithKind("Service"):        func() runtime.Object { return &corev1.Service{} },
}

// deployKustomizationGVK has no k8s.io/api type: it decodes into
// deployKustomization.
var deployKustomizationGVK = schema.GroupVersionKind{Group: "kustomize.config.k8s.io", Version: "v1beta1", Kind: "Kustomization"}

// deployKustomization is the part of kustomize's Kustomization that
// kustomization.yaml may use; any other field fails the strict decode
// (sigs.k8s.io/yaml.UnmarshalStrict: unknown and duplicate fields, though
// not wrongly cased ones).
type deployKustomization struct {
	APIVersion string        `json:"apiVersion"`
	Kind       string        `json:"kind"`
	Namespace  string        `json:"namespace,omitempty"`
	Resources  []string      `json:"resources"`
	Images     []deployImage `json:"images,omitempty"`
}

type deployImage struct {
	Name    string `json:"name"`
	NewName string `json:"newName,omitempty"`
	NewTag  string `json:"newTag,omitempty"`
	Digest  string `json:"digest,omitempty"`
}

// deployDecoder is apimachinery's strict YAML decoder, the one behind
// kubectl's and the API server's strict field validation: unknown and
// duplicate fields are errors and field names are case-sensitive (plain
// encoding/json, and so sigs.k8s.io/yaml.UnmarshalStrict, would accept
// "ConcurrencyPolicy").
var deployDecoder = func() *kjson.Serializer {
	scheme := runtime.NewScheme()
	utilruntime.Must(corev1.AddToScheme(scheme))
	utilruntime.Must(appsv1.AddToScheme(scheme))
	utilruntime.Must(batchv1.AddToScheme(scheme))
	return kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme,
		kjson.SerializerOptions{Yaml: true, Strict: true})
}()

// deployDecode decodes one YAML document strictly into the type its
// apiVersion and kind name: a runtime.Object of deployKinds or a
// *deployKustomization.
func deployDecode(doc []byte) (any, error) {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return nil, err
	}
	gvk := schema.FromAPIVersionAndKind(tm.APIVersion, tm.Kind)
	if gvk == deployKustomizationGVK {
		var k deployKustomization
		if err := yaml.UnmarshalStrict(doc, &k); err != nil {
			return nil, err
		}
		return &k, nil
	}
	newObj, ok := deployKinds[gvk]
	if !ok {
		return nil, fmt.Errorf("apiVersion %q kind %q: not a kind deploy/kubernetes may hold", tm.APIVersion, tm.Kind)
	}
	into := newObj()
	obj, _, err := deployDecoder.Decode(doc, nil, into)
	if err != nil {
		return nil, err
	}
	if obj != into {
		return nil, fmt.Errorf("decoded a %T, want %T", obj, into)
	}
	return obj, nil
}

// deployDocs splits a file into its YAML documents, without the empty
// (comment-only) ones.
func deployDocs(data []byte) ([][]byte, error) {
	r := kyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			return nil, err
		}
		if len(m) > 0 {
			docs = append(docs, doc)
		}
	}
}

// deployManifests is everything in deploy/kubernetes, decoded.
type deployManifests struct {
	cronJob        *batchv1.CronJob
	deployment     *appsv1.Deployment
	serviceAccount *corev1.ServiceAccount
	configMap      *corev1.ConfigMap
	service        *corev1.Service
	kustomization  *deployKustomization
	files          map[string][]metav1.Object // manifest file name -> its objects
	config         map[string]any             // the ConfigMap's config.yaml
}

func loadDeployManifests(t *testing.T) *deployManifests {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(deployDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no *.yaml in %s", deployDir)
	}
	m := &deployManifests{files: map[string][]metav1.Object{}}
	seen := map[string]string{} // kind/name -> file
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := deployDocs(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := filepath.Base(p)
		for i, doc := range docs {
			decoded, err := deployDecode(doc)
			if err != nil {
				t.Fatalf("%s, document %d: %v", name, i+1, err)
			}
			if k, ok := decoded.(*deployKustomization); ok {
				if name != "kustomization.yaml" || m.kustomization != nil {
					t.Fatalf("%s: a Kustomization belongs in kustomization.yaml, alone", name)
				}
				m.kustomization = k
				continue
			}
			obj := decoded.(runtime.Object)
			meta := obj.(metav1.Object)
			kind := obj.GetObjectKind().GroupVersionKind().Kind
			key := kind + "/" + meta.GetName()
			if prev, dup := seen[key]; dup {
				t.Errorf("%s: %s is also defined in %s", name, key, prev)
			}
			seen[key] = name
			m.files[name] = append(m.files[name], meta)
			m.setOnce(t, name, obj)
		}
	}
	for what, missing := range map[string]bool{
		"CronJob": m.cronJob == nil, "Deployment": m.deployment == nil,
		"ServiceAccount": m.serviceAccount == nil, "ConfigMap": m.configMap == nil,
		"Service": m.service == nil, "Kustomization (kustomization.yaml)": m.kustomization == nil,
	} {
		if missing {
			t.Fatalf("%s: no %s", deployDir, what)
		}
	}
	// The config.yaml in the ConfigMap is also loaded by the real config loader in config_test.go.
	cfg, ok := m.configMap.Data["config.yaml"]
	if !ok {
		t.Fatalf("ConfigMap %s has no config.yaml", m.configMap.Name)
	}
	if err := yaml.Unmarshal([]byte(cfg), &m.config); err != nil {
		t.Fatalf("ConfigMap %s, config.yaml: %v", m.configMap.Name, err)
	}
	return m
}

// setOnce records obj; the folder holds one object of each kind.
func (m *deployManifests) setOnce(t *testing.T, file string, obj runtime.Object) {
	t.Helper()
	twice := false
	switch o := obj.(type) {
	case *batchv1.CronJob:
		twice, m.cronJob = m.cronJob != nil, o
	case *appsv1.Deployment:
		twice, m.deployment = m.deployment != nil, o
	case *corev1.ServiceAccount:
		twice, m.serviceAccount = m.serviceAccount != nil, o
	case *corev1.ConfigMap:
		twice, m.configMap = m.configMap != nil, o
	case *corev1.Service:
		twice, m.service = m.service != nil, o
	}
	if twice {
		t.Fatalf("%s: a second %T; the checks here expect one of each", file, obj)
	}
}

func TestDeployManifestsDecodeStrictly(t *testing.T) {
	m := loadDeployManifests(t)

	// Every manifest is listed in kustomization.yaml and every listed
	// resource is a manifest here.
	var files []string
	for f := range m.files {
		files = append(files, f)
	}
	slices.Sort(files)
	listed := slices.Clone(m.kustomization.Resources)
	slices.Sort(listed)
	if !slices.Equal(files, listed) {
		t.Errorf("kustomization.yaml resources %v, want the manifests %v", listed, files)
	}
	if m.kustomization.Namespace != "" {
		t.Errorf("kustomization.yaml sets namespace %q; the folder is namespace-agnostic", m.kustomization.Namespace)
	}

	for file, objs := range m.files {
		for _, o := range objs {
			if o.GetNamespace() != "" {
				t.Errorf("%s: %s has namespace %q; the folder is namespace-agnostic", file, o.GetName(), o.GetNamespace())
			}
			for _, msg := range validation.IsDNS1123Subdomain(o.GetName()) {
				t.Errorf("%s: name %q: %s", file, o.GetName(), msg)
			}
		}
	}

	// Every container image is the one kustomization.yaml sets.
	for _, pod := range m.pods() {
		for _, c := range pod.spec.Containers {
			if !slices.ContainsFunc(m.kustomization.Images, func(i deployImage) bool { return i.Name == c.Image }) {
				t.Errorf("%s: container %s image %q is not in kustomization.yaml images", pod.what, c.Name, c.Image)
			}
		}
	}
}

// TestDeployStrictDecoderRejects proves the decoder above is strict: each
// broken copy of cronjob.yaml must fail to decode.
func TestDeployStrictDecoderRejects(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(deployDir, "cronjob.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := deployDecode(orig); err != nil {
		t.Fatalf("cronjob.yaml as it is: %v", err)
	}
	for _, tc := range []struct{ name, old, new string }{
		{"misspelt field", "  concurrencyPolicy: Forbid\n", "  concurrencyPolcy: Forbid\n"},
		{"wrongly cased field", "  concurrencyPolicy: Forbid\n", "  ConcurrencyPolicy: Forbid\n"},
		{"duplicate field", "  concurrencyPolicy: Forbid\n", "  concurrencyPolicy: Forbid\n  concurrencyPolicy: Allow\n"},
		{"field of the pod spec moved to the CronJob spec", "  concurrencyPolicy: Forbid\n", "  concurrencyPolicy: Forbid\n  restartPolicy: Never\n"},
		{"wrong type", "backoffLimit: 1\n", "backoffLimit: one\n"},
		{"unknown kind", "kind: CronJob\n", "kind: CronJobs\n"},
		{"unknown apiVersion", "apiVersion: batch/v1\n", "apiVersion: batch/v2\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(orig, []byte(tc.old)) {
				t.Fatalf("cronjob.yaml no longer contains %q; update this case", tc.old)
			}
			broken := bytes.Replace(orig, []byte(tc.old), []byte(tc.new), 1)
			if _, err := deployDecode(broken); err == nil {
				t.Errorf("decoded without error")
			} else {
				t.Logf("rejected: %v", err)
			}
		})
	}
}

func TestDeployCronJob(t *testing.T) {
	m := loadDeployManifests(t)
	cj := m.cronJob
	if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("concurrencyPolicy %q, want Forbid", cj.Spec.ConcurrencyPolicy)
	}
	if d := cj.Spec.StartingDeadlineSeconds; d == nil || *d <= 0 {
		t.Errorf("startingDeadlineSeconds not set")
	}
	if d := cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds; d == nil || *d <= 0 {
		t.Errorf("jobTemplate activeDeadlineSeconds not set")
	}
	if cj.Spec.TimeZone == nil || *cj.Spec.TimeZone == "" {
		t.Errorf("timeZone not set: the schedule would follow the controller's zone")
	}
	if p := cj.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy; p != corev1.RestartPolicyNever {
		t.Errorf("restartPolicy %q, want Never", p)
	}
}

func TestDeployScheduler(t *testing.T) {
	m := loadDeployManifests(t)
	d := m.deployment
	pod := d.Spec.Template.Spec

	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil || sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("selector %v does not select the pod template's labels %v (%v)", d.Spec.Selector, d.Spec.Template.Labels, err)
	}

	// The port named http is the config's listen port, on every interface
	// (the default, 127.0.0.1, is out of the kubelet's and Prometheus'
	// reach).
	listen, _ := m.config["listen"].(string)
	host, portStr, err := net.SplitHostPort(listen)
	if err != nil {
		t.Fatalf("config.yaml listen %q: %v", listen, err)
	}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		t.Errorf("config.yaml listen %q: probes and scrapes come from outside the pod; listen on every interface (\":%s\")", listen, portStr)
	}
	listenPort, err := strconv.Atoi(portStr)
	if err != nil {
		t.Fatalf("config.yaml listen %q: %v", listen, err)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	i := slices.IndexFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == "http" })
	if i < 0 {
		t.Fatalf("container %s has no port named http", c.Name)
	}
	if got := c.Ports[i].ContainerPort; int(got) != listenPort {
		t.Errorf("port http is %d, config.yaml listens on %q", got, listen)
	}

	for _, tc := range []struct {
		probe string
		p     *corev1.Probe
		path  string
	}{
		{"livenessProbe", c.LivenessProbe, "/healthz"},
		{"readinessProbe", c.ReadinessProbe, "/readyz"},
		{"startupProbe", c.StartupProbe, "/healthz"},
	} {
		if tc.p == nil {
			if tc.probe != "startupProbe" {
				t.Errorf("no %s", tc.probe)
			}
			continue
		}
		h := tc.p.HTTPGet
		if h == nil {
			t.Errorf("%s is not an httpGet", tc.probe)
			continue
		}
		if h.Path != tc.path || h.Port.String() != "http" {
			t.Errorf("%s: GET %s on port %s, want %s on port http", tc.probe, h.Path, h.Port.String(), tc.path)
		}
	}

	// Room for the graceful shutdown.
	shutdown := 2 * time.Minute // the documented default
	if s, ok := m.config["shutdown_timeout"]; ok {
		str, _ := s.(string)
		if shutdown, err = time.ParseDuration(str); err != nil {
			t.Fatalf("config.yaml shutdown_timeout %v: %v", s, err)
		}
	}
	grace := pod.TerminationGracePeriodSeconds
	if grace == nil || time.Duration(*grace)*time.Second <= shutdown {
		t.Errorf("terminationGracePeriodSeconds %v, want more than shutdown_timeout %v", deployDeref(grace), shutdown)
	}
}

func TestDeployService(t *testing.T) {
	m := loadDeployManifests(t)
	svc := m.service
	if svc.Spec.Type != "" && svc.Spec.Type != corev1.ServiceTypeClusterIP {
		t.Errorf("type %s, want ClusterIP", svc.Spec.Type)
	}
	if len(svc.Spec.Selector) == 0 {
		t.Fatal("no selector")
	}
	sel := labels.SelectorFromSet(svc.Spec.Selector)
	if !sel.Matches(labels.Set(m.deployment.Spec.Template.Labels)) {
		t.Errorf("selector %v does not select the scheduler's pods %v", svc.Spec.Selector, m.deployment.Spec.Template.Labels)
	}
	if sel.Matches(labels.Set(m.cronJob.Spec.JobTemplate.Spec.Template.Labels)) {
		t.Errorf("selector %v also selects the CronJob's pods, which serve no HTTP", svc.Spec.Selector)
	}
	if !slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool { return p.TargetPort.String() == "http" }) {
		t.Errorf("no port targets the container port http: %v", svc.Spec.Ports)
	}
}

// TestDeployConfigSources: the config schedules every source of the
// registry, and nothing else.
func TestDeployConfigSources(t *testing.T) {
	m := loadDeployManifests(t)
	srcs, _ := m.config["sources"].(map[string]any)
	var want []string
	for _, s := range all.Registry(all.Config{}) {
		want = append(want, s.Info().Name)
	}
	for _, name := range want {
		sc, _ := srcs[name].(map[string]any)
		if s, _ := sc["schedule"].(string); s == "" {
			t.Errorf("config.yaml: sources.%s has no schedule", name)
		}
	}
	for name := range srcs {
		if !slices.Contains(want, name) {
			t.Errorf("config.yaml: sources.%s is not a source (%v)", name, want)
		}
	}
}

// deployEnvNames are the SANCTIONS_ETL_* variables the CLI reads: one per
// flag of run and schedule (which share one config) and of the root
// command, --max-drop being SANCTIONS_ETL_MAX_DROP, plus
// SANCTIONS_ETL_SOURCES_<SOURCE>_SCHEDULE and _FROM. The config loader is
// the authority (config_test.go); this only catches a misspelt name in the
// manifests, which the CLI would silently ignore.
func deployEnvNames(t *testing.T) []string {
	t.Helper()
	root := newRootCmd()
	var names []string
	add := func(f *pflag.Flag) {
		names = append(names, "SANCTIONS_ETL_"+strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_")))
	}
	root.PersistentFlags().VisitAll(add)
	for _, name := range []string{"run", "schedule"} {
		cmd, _, err := root.Find([]string{name})
		if err != nil || cmd.Name() != name {
			t.Fatalf("no %s command (%v)", name, err)
		}
		cmd.Flags().VisitAll(add)
	}
	for _, s := range all.Registry(all.Config{}) {
		n := strings.ToUpper(s.Info().Name)
		names = append(names, "SANCTIONS_ETL_SOURCES_"+n+"_SCHEDULE", "SANCTIONS_ETL_SOURCES_"+n+"_FROM")
	}
	return names
}

// deploySecretEnv are the variables that must come from the Secret, never
// from a literal value.
var deploySecretEnv = []string{"SANCTIONS_ETL_EU_TOKEN", "SANCTIONS_ETL_WEBHOOK_URL"}

type deployPod struct {
	what    string // "CronJob sanctions-etl"
	command string // the first argument
	spec    *corev1.PodSpec
}

func (m *deployManifests) pods() []deployPod {
	return []deployPod{
		{"CronJob " + m.cronJob.Name, "run", &m.cronJob.Spec.JobTemplate.Spec.Template.Spec},
		{"Deployment " + m.deployment.Name, "schedule", &m.deployment.Spec.Template.Spec},
	}
}

// TestDeployPods checks what both workloads' pods share: identity,
// security, resources, the writable /tmp, the mounted config, the
// command line and the environment.
func TestDeployPods(t *testing.T) {
	m := loadDeployManifests(t)
	sa := m.serviceAccount
	if sa.Annotations["eks.amazonaws.com/role-arn"] == "" {
		t.Errorf("ServiceAccount %s has no eks.amazonaws.com/role-arn annotation", sa.Name)
	}
	tempDir, _ := m.config["temp_dir"].(string)
	envNames := deployEnvNames(t)

	for _, pod := range m.pods() {
		t.Run(pod.what, func(t *testing.T) {
			spec := pod.spec
			if spec.ServiceAccountName != sa.Name {
				t.Errorf("serviceAccountName %q, want %q (serviceaccount.yaml)", spec.ServiceAccountName, sa.Name)
			}
			automount := spec.AutomountServiceAccountToken
			if automount == nil {
				automount = sa.AutomountServiceAccountToken
			}
			if automount == nil || *automount {
				t.Errorf("the Kubernetes API token is mounted; sanctions-etl does not use it")
			}
			if spec.EnableServiceLinks == nil || *spec.EnableServiceLinks {
				t.Errorf("enableServiceLinks is not false: a Service named sanctions-etl* injects SANCTIONS_ETL_* variables")
			}

			psc := spec.SecurityContext
			if psc == nil {
				t.Fatal("no pod securityContext")
			}
			if psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
				t.Errorf("pod runAsNonRoot is not true")
			}
			for what, id := range map[string]*int64{"runAsUser": psc.RunAsUser, "runAsGroup": psc.RunAsGroup, "fsGroup": psc.FSGroup} {
				if id == nil || *id != 65532 {
					t.Errorf("pod %s %v, want 65532 (distroless nonroot)", what, deployDeref(id))
				}
			}
			if psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
				t.Errorf("pod seccompProfile is not RuntimeDefault")
			}

			volumes := map[string]corev1.Volume{}
			for _, v := range spec.Volumes {
				volumes[v.Name] = v
			}
			containers := slices.Concat(spec.InitContainers, spec.Containers)
			if len(spec.Containers) == 0 {
				t.Fatal("no containers")
			}
			for _, c := range containers {
				checkDeployContainer(t, m, pod, c, volumes, tempDir, envNames)
			}
		})
	}
}

func checkDeployContainer(t *testing.T, m *deployManifests, pod deployPod, c corev1.Container, volumes map[string]corev1.Volume, tempDir string, envNames []string) {
	t.Helper()
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf("container %s: %s", c.Name, fmt.Sprintf(format, args...))
	}

	// Resources: requests, and a memory limit no lower than the request.
	req, lim := c.Resources.Requests, c.Resources.Limits
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if q, ok := req[r]; !ok || q.Sign() <= 0 {
			errorf("no %s request", r)
		}
	}
	if q, ok := lim[corev1.ResourceMemory]; !ok || q.Sign() <= 0 {
		errorf("no memory limit")
	} else if r := req[corev1.ResourceMemory]; q.Cmp(r) < 0 {
		errorf("memory limit %s below the request %s", q.String(), r.String())
	}

	// Security.
	sc := c.SecurityContext
	if sc == nil {
		errorf("no securityContext")
		return
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		errorf("allowPrivilegeEscalation is not false")
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		errorf("readOnlyRootFilesystem is not true")
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
		errorf("capabilities do not drop ALL (or add some)")
	}
	if sc.RunAsNonRoot != nil && !*sc.RunAsNonRoot {
		errorf("runAsNonRoot false overrides the pod's")
	}
	if sc.Privileged != nil && *sc.Privileged {
		errorf("privileged")
	}

	mounts := map[string]corev1.VolumeMount{} // mountPath -> mount
	for _, vm := range c.VolumeMounts {
		if _, ok := volumes[vm.Name]; !ok {
			errorf("volumeMount %s: no such volume", vm.Name)
		}
		mounts[path.Clean(vm.MountPath)] = vm
	}

	// A writable emptyDir at /tmp, which TMPDIR and the config's temp_dir
	// name.
	if vm, ok := mounts["/tmp"]; !ok {
		errorf("nothing mounted at /tmp")
	} else if vm.ReadOnly || vm.SubPath != "" {
		errorf("/tmp is mounted read-only or as a subPath")
	} else if volumes[vm.Name].EmptyDir == nil {
		errorf("/tmp is volume %s, not an emptyDir", vm.Name)
	}
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		if _, dup := env[e.Name]; dup {
			errorf("env %s twice", e.Name)
		}
		env[e.Name] = e
	}
	if e := env["TMPDIR"]; e.Value != "/tmp" || e.ValueFrom != nil {
		errorf("TMPDIR is %q, want /tmp", e.Value)
	}
	// The runtime's soft memory limit follows the container's, so that a
	// resized limit needs no second edit.
	if e := env["GOMEMLIMIT"]; e.ValueFrom == nil || e.ValueFrom.ResourceFieldRef == nil ||
		e.ValueFrom.ResourceFieldRef.Resource != "limits.memory" || (e.ValueFrom.ResourceFieldRef.ContainerName != "" && e.ValueFrom.ResourceFieldRef.ContainerName != c.Name) {
		errorf("GOMEMLIMIT is not the container's limits.memory (%+v)", e)
	}
	if tempDir != "" && path.Clean(tempDir) != "/tmp" {
		errorf("config.yaml temp_dir %q is not /tmp, the writable emptyDir", tempDir)
	}

	// The command line: the command, then --config naming a file of the
	// mounted ConfigMap.
	if len(c.Args) == 0 || c.Args[0] != pod.command {
		errorf("args %q do not start with %q", c.Args, pod.command)
	}
	if len(c.Command) > 0 {
		errorf("command %q replaces the image's entrypoint", c.Command)
	}
	cfgPath := deployFlag(c.Args, "--config")
	if cfgPath == "" {
		errorf("args %q have no --config", c.Args)
	} else {
		checkDeployConfigPath(t, m, c.Name, cfgPath, mounts, volumes)
	}

	// Environment: SANCTIONS_ETL_* names are settings the CLI reads, and
	// the secret ones come from an optional key of the Secret.
	for name := range env {
		if strings.HasPrefix(name, "SANCTIONS_ETL_") && !slices.Contains(envNames, name) {
			errorf("env %s is no setting of the CLI; it would be ignored", name)
		}
	}
	for _, name := range deploySecretEnv {
		e, ok := env[name]
		if !ok {
			errorf("env %s not set", name)
			continue
		}
		ref := (*corev1.SecretKeySelector)(nil)
		if e.ValueFrom != nil {
			ref = e.ValueFrom.SecretKeyRef
		}
		if e.Value != "" || ref == nil {
			errorf("env %s does not come from a Secret", name)
			continue
		}
		if ref.Optional == nil || !*ref.Optional {
			errorf("env %s: secretKeyRef is not optional", name)
		}
		for _, msg := range validation.IsConfigMapKey(ref.Key) {
			errorf("env %s: secret key %q: %s", name, ref.Key, msg)
		}
	}
}

// checkDeployConfigPath checks that cfgPath is a file of the ConfigMap
// defined here, mounted read-only: its config.yaml key.
func checkDeployConfigPath(t *testing.T, m *deployManifests, container, cfgPath string, mounts map[string]corev1.VolumeMount, volumes map[string]corev1.Volume) {
	t.Helper()
	dir, file := path.Split(path.Clean(cfgPath))
	vm, ok := mounts[path.Clean(dir)]
	if !ok {
		t.Errorf("container %s: --config %s: its folder is not a volumeMount", container, cfgPath)
		return
	}
	if !vm.ReadOnly {
		t.Errorf("container %s: the config volume %s is not mounted readOnly", container, vm.Name)
	}
	cm := volumes[vm.Name].ConfigMap
	if cm == nil || cm.Name != m.configMap.Name {
		t.Errorf("container %s: --config %s: volume %s is not the ConfigMap %s", container, cfgPath, vm.Name, m.configMap.Name)
		return
	}
	key := file // without items, each key is a file of its own name
	if len(cm.Items) > 0 {
		key = ""
		for _, it := range cm.Items {
			if path.Clean(it.Path) == file {
				key = it.Key
			}
		}
	}
	if key != "config.yaml" {
		t.Errorf("container %s: --config %s is ConfigMap key %q, want config.yaml", container, cfgPath, key)
	}
	if cm.Optional != nil && *cm.Optional {
		t.Errorf("container %s: the config volume is optional", container)
	}
}

// deployFlag returns the value of flag in args ("--flag value" or
// "--flag=value"), or "".
func deployFlag(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

func deployDeref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
