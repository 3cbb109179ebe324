import { UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Image,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api.ts';
import { EmptyState, ErrorAlert } from '../../console/ConsoleShell.tsx';
import { useAsync } from '../../shared/hooks.ts';
import {
  type MySession,
  type MyVideo,
  merchantVideosApi,
  uploadPreset,
  VIDEO_KINDS,
  type VideoKind,
} from './videos-api.ts';

const STATUS_COLORS: Record<MyVideo['status'], string> = {
  draft: 'default',
  published: 'green',
  hidden: 'orange',
};
const KIND_COLORS: Record<VideoKind, string> = {
  seeding: 'magenta',
  reservation: 'red',
  replay: 'purple',
  plain: 'default',
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

interface LinkForm {
  title: string;
  kind: VideoKind;
  productIds: string[];
  liveSessionId?: string;
}

/** Links shared by the upload form and the edit dialog: title, kind, products, the announced session. */
function LinkFields({
  products,
  sessions,
  kind,
}: {
  products: Array<{ id: string; title: string }>;
  sessions: MySession[];
  kind: VideoKind;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="title" label={t('videosConsole.title')} rules={[{ max: 60 }]}>
        <Input placeholder={t('videosConsole.titlePlaceholder')} maxLength={60} data-testid="video-title" />
      </Form.Item>
      <Form.Item name="kind" label={t('videosConsole.kind')}>
        <Select
          options={VIDEO_KINDS.map((k) => ({ value: k, label: t(`videos.kind.${k}`) }))}
          data-testid="video-kind"
        />
      </Form.Item>
      <Form.Item name="productIds" label={t('videosConsole.products')} rules={[{ type: 'array', max: 10 }]}>
        <Select
          mode="multiple"
          allowClear
          optionFilterProp="label"
          options={products.map((p) => ({ value: p.id, label: p.title }))}
          placeholder={t('videosConsole.productsPlaceholder')}
        />
      </Form.Item>
      {(kind === 'reservation' || kind === 'replay') && (
        <Form.Item
          name="liveSessionId"
          label={t('videosConsole.session')}
          extra={sessions.length === 0 ? t('videosConsole.noSessions') : undefined}
        >
          <Select
            allowClear
            options={sessions
              .filter((s) => kind === 'replay' || s.status === 'scheduled' || s.status === 'live')
              .map((s) => ({
                value: s.id,
                label: `${s.title} · ${new Date(s.scheduledAt).toLocaleString()}`,
              }))}
          />
        </Form.Item>
      )}
    </>
  );
}

/** The merchant's short videos: upload with progress, the list with poster and figures, publish/hide, edit links. */
export function VideosPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useAsync((signal) => merchantVideosApi.list(signal), []);
  const products = useAsync((signal) => merchantVideosApi.products(signal), []);
  const sessions = useAsync((signal) => merchantVideosApi.sessions(signal), []);
  const [form] = Form.useForm<LinkForm>();
  // `?kind=replay&session=<id>` (the session report's "Upload a clip") presets the upload form.
  const [params] = useSearchParams();
  const [preset] = useState(() => uploadPreset(params));
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [editing, setEditing] = useState<MyVideo | null>(null);
  const [editForm] = Form.useForm<LinkForm>();
  const uploadKind = Form.useWatch('kind', form) ?? 'seeding';
  const editKind = Form.useWatch('kind', editForm) ?? 'seeding';
  const productOptions = (products.data?.items ?? []).map((p) => ({ id: p.id, title: p.title }));
  const sessionList = sessions.data ?? [];

  const upload = async () => {
    if (!file) return;
    const v = await form.validateFields();
    setProgress(0);
    try {
      await merchantVideosApi.upload(
        {
          file,
          title: v.title ?? '',
          kind: v.kind,
          productIds: v.productIds ?? [],
          ...(v.liveSessionId ? { liveSessionId: v.liveSessionId } : {}),
        },
        setProgress,
      );
      message.success(t('videosConsole.uploaded'));
      setFile(null);
      form.resetFields();
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setProgress(null);
    }
  };

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const saveEdit = async () => {
    if (!editing) return;
    const v = await editForm.validateFields();
    await act(
      () =>
        merchantVideosApi.update(editing.id, {
          title: v.title ?? '',
          kind: v.kind,
          productIds: v.productIds ?? [],
          liveSessionId: v.kind === 'reservation' || v.kind === 'replay' ? (v.liveSessionId ?? null) : null,
        }),
      t('videosConsole.saved'),
    );
    setEditing(null);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="merchant-videos">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('videosConsole.heading')}
      </Typography.Title>
      <Card title={t('videosConsole.upload')} size="small">
        <Form
          form={form}
          layout="vertical"
          initialValues={{ ...preset, productIds: [] }}
          style={{ maxWidth: 560 }}
        >
          <Form.Item label={t('videosConsole.file')} extra={t('videosConsole.fileHint')}>
            <Upload
              accept="video/mp4,video/webm"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
            >
              <Button icon={<UploadOutlined />} data-testid="video-file">
                {t('videosConsole.choose')}
              </Button>
            </Upload>
          </Form.Item>
          <LinkFields products={productOptions} sessions={sessionList} kind={uploadKind} />
          {progress !== null && <Progress percent={progress} data-testid="video-progress" />}
          <Button
            type="primary"
            disabled={!file || progress !== null}
            onClick={upload}
            data-testid="video-upload"
          >
            {t('videosConsole.uploadButton')}
          </Button>
        </Form>
      </Card>
      <Card title={t('videosConsole.list')} size="small">
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} />}
        <Table<MyVideo>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <EmptyState text={t('videosConsole.empty')} /> }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('videosConsole.poster'),
              key: 'poster',
              width: 80,
              render: (_, v) => (
                <Image
                  src={v.posterUrl}
                  width={54}
                  height={96}
                  style={{ objectFit: 'cover' }}
                  preview={{ src: v.posterUrl }}
                />
              ),
            },
            {
              title: t('videosConsole.title'),
              dataIndex: 'title',
              render: (x: string) =>
                x || <Typography.Text type="secondary">{t('videosConsole.untitled')}</Typography.Text>,
            },
            {
              title: t('videosConsole.kind'),
              dataIndex: 'kind',
              width: 100,
              render: (k: VideoKind) => <Tag color={KIND_COLORS[k]}>{t(`videos.kind.${k}`)}</Tag>,
            },
            {
              title: t('videosConsole.status'),
              dataIndex: 'status',
              width: 90,
              render: (s: MyVideo['status']) => (
                <Tag color={STATUS_COLORS[s]}>{t(`videosConsole.statuses.${s}`)}</Tag>
              ),
            },
            { title: t('videosConsole.duration'), dataIndex: 'durationMs', width: 80, render: seconds },
            { title: t('videosConsole.views'), dataIndex: 'views', width: 70 },
            { title: t('videosConsole.likes'), dataIndex: 'likes', width: 70 },
            { title: t('videosConsole.comments'), dataIndex: 'comments', width: 70 },
            {
              title: t('videosConsole.links'),
              key: 'links',
              render: (_, v) => (
                <Typography.Text type="secondary">
                  {t('videosConsole.linkCount', { n: v.productIds.length })}
                  {v.liveSessionId
                    ? ` · ${sessionList.find((s) => s.id === v.liveSessionId)?.title ?? t('videosConsole.sessionLinked')}`
                    : ''}
                </Typography.Text>
              ),
            },
            {
              title: t('videosConsole.actions'),
              key: 'actions',
              width: 200,
              render: (_, v) => (
                <Space size="small">
                  {v.status === 'published' ? (
                    <Button
                      size="small"
                      onClick={() => act(() => merchantVideosApi.hide(v.id), t('videosConsole.hidden'))}
                    >
                      {t('videosConsole.hide')}
                    </Button>
                  ) : (
                    <Button
                      size="small"
                      type="primary"
                      data-testid="video-publish"
                      onClick={() => act(() => merchantVideosApi.publish(v.id), t('videosConsole.published'))}
                    >
                      {t('videosConsole.publish')}
                    </Button>
                  )}
                  <Button
                    size="small"
                    onClick={() => {
                      setEditing(v);
                      editForm.setFieldsValue({
                        title: v.title,
                        kind: v.kind,
                        productIds: v.productIds,
                        liveSessionId: v.liveSessionId ?? undefined,
                      });
                    }}
                  >
                    {t('videosConsole.edit')}
                  </Button>
                  <Button size="small" type="link" href={v.fileUrl} target="_blank">
                    {t('videosConsole.preview')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={t('videosConsole.editTitle')}
        onCancel={() => setEditing(null)}
        onOk={saveEdit}
        okText={t('videosConsole.save')}
        destroyOnHidden
      >
        <Form form={editForm} layout="vertical">
          <LinkFields products={productOptions} sessions={sessionList} kind={editKind} />
        </Form>
      </Modal>
    </Space>
  );
}
